extension TenantMigration {
    /// 1. Alerts, the ledger, rating statistics, the outbox and its attempts.
    static let initial = TenantMigration(
        name: "initial",
        sqlite: [
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
        postgres: [
            """
            CREATE TABLE alerts (
                fingerprint text PRIMARY KEY,
                alert jsonb NOT NULL,
                status text NOT NULL CHECK (status IN ('firing', 'resolved')),
                score double precision NOT NULL,
                rating jsonb NOT NULL,
                first_seen_at timestamptz NOT NULL,
                last_seen_at timestamptz NOT NULL,
                occurrences integer NOT NULL,
                acknowledged_at timestamptz,
                acknowledged_by text,
                feedback text
            )
            """,
            "CREATE INDEX alerts_by_status_score ON alerts (status, score DESC, last_seen_at DESC)",
            "CREATE INDEX alerts_by_score ON alerts (score DESC, last_seen_at DESC)",
            """
            CREATE TABLE events (
                id bigserial PRIMARY KEY,
                fingerprint text NOT NULL,
                payload jsonb NOT NULL,
                recorded_at timestamptz NOT NULL,
                routed boolean NOT NULL DEFAULT false
            )
            """,
            "CREATE INDEX events_unrouted ON events (id) WHERE NOT routed",
            "CREATE INDEX events_by_time ON events (recorded_at)",
            """
            CREATE TABLE source_reliability (
                source text PRIMARY KEY,
                actionable double precision NOT NULL,
                noise double precision NOT NULL,
                updated_at timestamptz NOT NULL
            )
            """,
            """
            CREATE TABLE response_history (
                response_group text PRIMARY KEY,
                weight double precision NOT NULL,
                total double precision NOT NULL,
                latency_seconds double precision NOT NULL,
                updated_at timestamptz NOT NULL
            )
            """,
            """
            CREATE TABLE notifications (
                id bigserial PRIMARY KEY,
                key text NOT NULL UNIQUE,
                receiver text NOT NULL,
                fingerprint text NOT NULL,
                status text NOT NULL,
                payload jsonb NOT NULL,
                state text NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
                created_at timestamptz NOT NULL,
                next_attempt_at timestamptz,
                attempts integer NOT NULL DEFAULT 0,
                first_attempt_at timestamptz
            )
            """,
            "CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE state = 'pending'",
            "CREATE INDEX notifications_by_alert ON notifications (fingerprint)",
            """
            CREATE TABLE delivery_attempts (
                id bigserial PRIMARY KEY,
                notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
                at timestamptz NOT NULL,
                http_status integer,
                error text,
                outcome text NOT NULL
            )
            """,
            "CREATE INDEX delivery_attempts_by_notification ON delivery_attempts (notification_id, id)",
        ])
}
