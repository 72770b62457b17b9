/// The tenant database's migrations; `PRAGMA user_version` records how many have run.
enum SQLiteSchema {
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE alerts (
                fingerprint TEXT PRIMARY KEY,
                alert TEXT NOT NULL,
                status TEXT NOT NULL,
                score REAL NOT NULL,
                rating TEXT NOT NULL,
                first_seen_at REAL NOT NULL,
                last_seen_at REAL NOT NULL,
                occurrences INTEGER NOT NULL,
                acknowledged_at REAL,
                acknowledged_by TEXT,
                feedback TEXT
            )
            """,
            "CREATE INDEX alerts_by_status_score ON alerts (status, score)",
            "CREATE INDEX alerts_by_last_seen ON alerts (last_seen_at)",
            """
            CREATE TABLE events (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                fingerprint TEXT NOT NULL,
                payload TEXT NOT NULL,
                recorded_at REAL NOT NULL,
                routed INTEGER NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX events_unrouted ON events (routed, id)",
            """
            CREATE TABLE source_reliability (
                source TEXT PRIMARY KEY,
                actionable REAL NOT NULL,
                noise REAL NOT NULL,
                updated_at REAL NOT NULL
            )
            """,
            """
            CREATE TABLE response_history (
                response_group TEXT PRIMARY KEY,
                weight REAL NOT NULL,
                total REAL NOT NULL,
                latency_seconds REAL NOT NULL,
                updated_at REAL NOT NULL
            )
            """,
            """
            CREATE TABLE notifications (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                key TEXT NOT NULL UNIQUE,
                receiver TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                status TEXT NOT NULL,
                payload TEXT NOT NULL,
                state TEXT NOT NULL,
                created_at REAL NOT NULL,
                next_attempt_at REAL,
                attempts INTEGER NOT NULL DEFAULT 0,
                first_attempt_at REAL
            )
            """,
            "CREATE INDEX notifications_due ON notifications (state, next_attempt_at)",
            "CREATE INDEX notifications_by_alert ON notifications (fingerprint)",
            """
            CREATE TABLE delivery_attempts (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                notification_id INTEGER NOT NULL REFERENCES notifications (id),
                at REAL NOT NULL,
                http_status INTEGER,
                error TEXT,
                outcome TEXT NOT NULL
            )
            """,
            "CREATE INDEX delivery_attempts_by_notification ON delivery_attempts (notification_id, id)",
        ],
        [
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
    ]
}
