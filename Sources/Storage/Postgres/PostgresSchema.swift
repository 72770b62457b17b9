/// The tenant schema's migrations, applied in order inside the tenant's schema and as the
/// tenant's role; `schema_migrations` records which have run.
enum PostgresSchema {
    static let migrations: [[String]] = [
        [
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
        ],
        [
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
        ],
        [
            """
            CREATE TABLE alert_groups (
                receiver text NOT NULL,
                group_key text NOT NULL,
                grouping jsonb NOT NULL,
                timing jsonb NOT NULL,
                traceparent text,
                next_flush_at timestamptz NOT NULL,
                flushed_at timestamptz,
                created_at timestamptz NOT NULL,
                PRIMARY KEY (receiver, group_key)
            )
            """,
            "CREATE INDEX alert_groups_due ON alert_groups (next_flush_at)",
            """
            CREATE TABLE alert_group_members (
                receiver text NOT NULL,
                group_key text NOT NULL,
                fingerprint text NOT NULL,
                PRIMARY KEY (receiver, group_key, fingerprint)
            )
            """,
            """
            CREATE TABLE notification_log (
                receiver text NOT NULL,
                group_key text NOT NULL,
                entry jsonb NOT NULL,
                sent_at timestamptz NOT NULL,
                PRIMARY KEY (receiver, group_key)
            )
            """,
            """
            CREATE TABLE notification_alerts (
                notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
                fingerprint text NOT NULL,
                status text NOT NULL,
                PRIMARY KEY (notification_id, fingerprint)
            )
            """,
            "CREATE INDEX notification_alerts_by_alert ON notification_alerts (fingerprint)",
            "ALTER TABLE notifications ADD COLUMN group_key text NOT NULL DEFAULT ''",
            "CREATE INDEX notifications_by_group ON notifications (receiver, group_key, id)",
            "UPDATE notifications SET group_key = 'alert ' || fingerprint",
            "INSERT INTO notification_alerts (notification_id, fingerprint, status) SELECT id, fingerprint, status FROM notifications",
            """
            UPDATE notifications SET payload = jsonb_build_object(
                'key', payload->'key', 'tenant', payload->'tenant', 'receiver', payload->'receiver',
                'group', jsonb_build_object('route', '', 'labels', '{}'::jsonb), 'status', payload->'status',
                'alerts', jsonb_build_array(jsonb_build_object(
                    'fingerprint', payload->'fingerprint', 'alert', payload->'alert', 'status', payload->'status',
                    'rating', payload->'rating')),
                'traceparent', payload->'traceparent')
            WHERE NOT payload ? 'alerts'
            """,
        ],
        [
            "ALTER TABLE notifications ADD COLUMN parts_delivered integer NOT NULL DEFAULT 0"
        ],
        [
            "ALTER TABLE alert_groups ADD COLUMN version integer NOT NULL DEFAULT 0",
            "ALTER TABLE alert_groups ADD COLUMN claimed_until timestamptz",
        ],
        [
            "ALTER TABLE response_history ADD COLUMN missed double precision NOT NULL DEFAULT 0",
            "ALTER TABLE alerts ADD COLUMN feedback_at timestamptz",
        ],
        [
            "CREATE TABLE rating_model (id integer PRIMARY KEY CHECK (id = 1), state jsonb NOT NULL, version bigint NOT NULL)",
            // The first_seen_at of the episode the model learned from, and when.
            "ALTER TABLE alerts ADD COLUMN learned_episode timestamptz",
            "ALTER TABLE alerts ADD COLUMN learned_at timestamptz",
        ],
    ]
}
