extension TenantMigration {
    /// 6. Missed responses in a group's history, and when feedback was given.
    static let missedResponses = TenantMigration(
        name: "missedResponses",
        sqlite: [
            "ALTER TABLE response_history ADD COLUMN missed REAL NOT NULL DEFAULT 0",
            "ALTER TABLE alerts ADD COLUMN feedback_at REAL",
        ],
        postgres: [
            "ALTER TABLE response_history ADD COLUMN missed double precision NOT NULL DEFAULT 0",
            "ALTER TABLE alerts ADD COLUMN feedback_at timestamptz",
        ])
}
