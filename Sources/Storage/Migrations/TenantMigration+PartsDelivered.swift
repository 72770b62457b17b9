extension TenantMigration {
    /// 4. How many parts of a split notification a receiver already took.
    static let partsDelivered = TenantMigration(
        name: "partsDelivered",
        sqlite: [
            "ALTER TABLE notifications ADD COLUMN parts_delivered INTEGER NOT NULL DEFAULT 0",
        ],
        postgres: [
            "ALTER TABLE notifications ADD COLUMN parts_delivered integer NOT NULL DEFAULT 0",
        ])
}
