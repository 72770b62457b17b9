extension TenantMigration {
    /// 5. A version on each group (and, on a shared PostgreSQL, the claim another replica holds on it).
    static let groupVersions = TenantMigration(
        name: "groupVersions",
        sqlite: [
            "ALTER TABLE alert_groups ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
        ],
        postgres: [
            "ALTER TABLE alert_groups ADD COLUMN version integer NOT NULL DEFAULT 0",
            "ALTER TABLE alert_groups ADD COLUMN claimed_until timestamptz",
        ])
}
