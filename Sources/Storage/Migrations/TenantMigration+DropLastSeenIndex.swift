extension TenantMigration {
    /// 8. SQLite drops the index of alerts by `last_seen_at`: no query reads it (each one that
    /// orders by `last_seen_at` first narrows by status, through `alerts_by_status_score`), and
    /// a repeat of a firing alert, the most frequent write, rewrote its entry every time.
    /// PostgreSQL never had it.
    static let dropLastSeenIndex = TenantMigration(
        name: "dropLastSeenIndex",
        sqlite: [
            "DROP INDEX alerts_by_last_seen"
        ],
        postgres: [])
}
