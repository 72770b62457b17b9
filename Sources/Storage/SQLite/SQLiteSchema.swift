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
        [
            """
            CREATE TABLE alert_groups (
                receiver TEXT NOT NULL,
                group_key TEXT NOT NULL,
                grouping TEXT NOT NULL,
                timing TEXT NOT NULL,
                traceparent TEXT,
                next_flush_at REAL NOT NULL,
                flushed_at REAL,
                created_at REAL NOT NULL,
                PRIMARY KEY (receiver, group_key)
            )
            """,
            "CREATE INDEX alert_groups_due ON alert_groups (next_flush_at)",
            """
            CREATE TABLE alert_group_members (
                receiver TEXT NOT NULL,
                group_key TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                PRIMARY KEY (receiver, group_key, fingerprint)
            )
            """,
            """
            CREATE TABLE notification_log (
                receiver TEXT NOT NULL,
                group_key TEXT NOT NULL,
                entry TEXT NOT NULL,
                sent_at REAL NOT NULL,
                PRIMARY KEY (receiver, group_key)
            )
            """,
            """
            CREATE TABLE notification_alerts (
                notification_id INTEGER NOT NULL REFERENCES notifications (id),
                fingerprint TEXT NOT NULL,
                status TEXT NOT NULL,
                PRIMARY KEY (notification_id, fingerprint)
            )
            """,
            "CREATE INDEX notification_alerts_by_alert ON notification_alerts (fingerprint)",
            "ALTER TABLE notifications ADD COLUMN group_key TEXT NOT NULL DEFAULT ''",
            "CREATE INDEX notifications_by_group ON notifications (receiver, group_key, id)",
            "UPDATE notifications SET group_key = 'alert ' || fingerprint",
            "INSERT INTO notification_alerts (notification_id, fingerprint, status) SELECT id, fingerprint, status FROM notifications",
            """
            UPDATE notifications SET payload = json_object(
                'key', json_extract(payload, '$.key'), 'tenant', json_extract(payload, '$.tenant'),
                'receiver', json_extract(payload, '$.receiver'),
                'group', json_object('route', '', 'labels', json_object()), 'status', json_extract(payload, '$.status'),
                'alerts', json_array(json_object(
                    'fingerprint', json_extract(payload, '$.fingerprint'), 'alert', json(json_extract(payload, '$.alert')),
                    'status', json_extract(payload, '$.status'), 'rating', json(json_extract(payload, '$.rating')))),
                'traceparent', json_extract(payload, '$.traceparent'))
            WHERE json_extract(payload, '$.alerts') IS NULL
            """,
        ],
        [
            "ALTER TABLE notifications ADD COLUMN parts_delivered INTEGER NOT NULL DEFAULT 0"
        ],
        [
            "ALTER TABLE alert_groups ADD COLUMN version INTEGER NOT NULL DEFAULT 0"
        ],
        [
            "ALTER TABLE response_history ADD COLUMN missed REAL NOT NULL DEFAULT 0",
            "ALTER TABLE alerts ADD COLUMN feedback_at REAL",
        ],
        [
            "CREATE TABLE rating_model (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL, version INTEGER NOT NULL)",
            // The first_seen_at of the episode the model learned from, and when.
            "ALTER TABLE alerts ADD COLUMN learned_episode REAL",
            "ALTER TABLE alerts ADD COLUMN learned_at REAL",
        ],
    ]
}
