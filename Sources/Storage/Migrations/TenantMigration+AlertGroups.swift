extension TenantMigration {
    /// 3. Aggregation groups, their members and notification log; a notification names its group and its alerts.
    static let alertGroups = TenantMigration(
        name: "alertGroups",
        sqlite: [
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
        postgres: [
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
        ])
}
