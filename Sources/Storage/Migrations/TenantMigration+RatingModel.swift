extension TenantMigration {
    /// 7. The learned rating model, and which episode of an alert it learned from.
    static let ratingModel = TenantMigration(
        name: "ratingModel",
        sqlite: [
            "CREATE TABLE rating_model (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL, version INTEGER NOT NULL)",
            // The first_seen_at of the episode the model learned from, and when.
            "ALTER TABLE alerts ADD COLUMN learned_episode REAL",
            "ALTER TABLE alerts ADD COLUMN learned_at REAL",
        ],
        postgres: [
            "CREATE TABLE rating_model (id integer PRIMARY KEY CHECK (id = 1), state jsonb NOT NULL, version bigint NOT NULL)",
            // The first_seen_at of the episode the model learned from, and when.
            "ALTER TABLE alerts ADD COLUMN learned_episode timestamptz",
            "ALTER TABLE alerts ADD COLUMN learned_at timestamptz",
        ])
}
