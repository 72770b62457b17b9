extension TenantMigration {
    /// 2. Silences.
    static let silences = TenantMigration(
        name: "silences",
        sqlite: [
            """
            CREATE TABLE silences (
                id TEXT PRIMARY KEY,
                matchers TEXT NOT NULL,
                starts_at REAL NOT NULL,
                ends_at REAL NOT NULL,
                created_by TEXT NOT NULL,
                comment TEXT NOT NULL,
                created_at REAL NOT NULL
            )
            """,
            "CREATE INDEX silences_by_end ON silences (ends_at)",
        ],
        postgres: [
            """
            CREATE TABLE silences (
                id text PRIMARY KEY,
                matchers jsonb NOT NULL,
                starts_at timestamptz NOT NULL,
                ends_at timestamptz NOT NULL CHECK (ends_at >= starts_at),
                created_by text NOT NULL,
                comment text NOT NULL,
                created_at timestamptz NOT NULL
            )
            """,
            "CREATE INDEX silences_by_end ON silences (ends_at)",
        ])
}
