import AlertCore
import Foundation

extension SQLiteTenantStore {
    public func route(_ routings: [EventRouting], at now: Date) async throws {
        try await write { db in
            for routing in routings {
                let traceparent = routing.traceparent.map { SQLiteValue.text($0) } ?? .null
                for membership in routing.memberships {
                    let key = SQLiteValue.text(membership.group.key)
                    let receiver = SQLiteValue.text(membership.receiver.rawValue)
                    _ = try db.query(
                        """
                        INSERT INTO alert_groups (receiver, group_key, grouping, timing, traceparent, next_flush_at, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (receiver, group_key) DO UPDATE SET timing = excluded.timing,
                            traceparent = coalesce(excluded.traceparent, alert_groups.traceparent), version = alert_groups.version + 1,
                            next_flush_at = CASE WHEN alert_groups.flushed_at IS NULL THEN alert_groups.next_flush_at
                                ELSE min(alert_groups.next_flush_at, max(excluded.created_at,
                                    alert_groups.flushed_at + json_extract(excluded.timing, '$.interval'))) END
                        """,
                        [
                            receiver, key, try self.json(membership.group), try self.json(membership.timing), traceparent,
                            now.addingTimeInterval(membership.timing.wait).sqlite, now.sqlite,
                        ])
                    _ = try db.query(
                        "INSERT INTO alert_group_members (receiver, group_key, fingerprint) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        [receiver, key, .text(membership.fingerprint.rawValue)])
                }
                _ = try db.query("UPDATE events SET routed = 1 WHERE id = ?", [.integer(Int(routing.event))])
            }
        }
    }

    /// The store has a single writer, so due groups need no claim. Their members come in one
    /// query for all of them.
    public func dueGroups(at now: Date, limit: Int) async throws -> [AlertGroupState] {
        try await read { db in
            let rows = try db.query(
                """
                SELECT g.receiver, g.group_key, g.grouping, g.timing, g.traceparent, g.version, l.entry
                FROM alert_groups g LEFT JOIN notification_log l ON l.receiver = g.receiver AND l.group_key = g.group_key
                WHERE g.next_flush_at <= ? ORDER BY g.next_flush_at LIMIT ?
                """,
                [now.sqlite, .integer(limit)])
            let keys = Array(Set(rows.compactMap { $0.column("group_key") }.compactMap(\.string)))
            var members: [GroupRef: [AlertRecord]] = [:]
            if !keys.isEmpty {
                let memberRows = try db.query(
                    """
                    SELECT m.receiver AS member_receiver, m.group_key AS member_group, a.*
                    FROM alert_group_members m JOIN alerts a ON a.fingerprint = m.fingerprint
                    WHERE m.group_key IN (\(Array(repeating: "?", count: keys.count).joined(separator: ", ")))
                    """,
                    keys.map { .text($0) })
                for row in memberRows {
                    let group = GroupRef(
                        receiver: ReceiverName(row.column("member_receiver")?.string ?? ""), key: row.column("member_group")?.string ?? "")
                    members[group, default: []].append(try self.record(row))
                }
            }
            var states: [AlertGroupState] = []
            for row in rows {
                let group = GroupRef(receiver: ReceiverName(row.column("receiver")?.string ?? ""), key: row.column("group_key")?.string ?? "")
                states.append(
                    AlertGroupState(
                        receiver: group.receiver,
                        group: try self.decode(AlertGroupKey.self, row, "grouping"),
                        timing: try self.decode(GroupTiming.self, row, "timing"),
                        members: members[group] ?? [],
                        log: row.column("entry")?.string == nil
                            ? nil : try self.decode(NotificationLogEntry.self, row, "entry"),
                        traceparent: row.column("traceparent")?.string, version: row.column("version")?.integer ?? 0))
            }
            return states
        }
    }

    public func nextGroupFlush() async throws -> Date? {
        try await read { db in try db.query("SELECT min(next_flush_at) AS due FROM alert_groups").first?.column("due")?.date }
    }

    public func apply(_ flushes: [GroupFlush], at now: Date) async throws {
        try await write { db in
            for flush in flushes { try self.apply(flush, at: now, in: db) }
        }
    }

    private func apply(_ flush: GroupFlush, at now: Date, in db: SQLiteConnection) throws {
        let receiver = SQLiteValue.text(flush.receiver.rawValue)
        let key = SQLiteValue.text(flush.group.key)
        if let notification = flush.notification {
            let inserted = try db.query(
                """
                INSERT INTO notifications (key, receiver, fingerprint, status, group_key, payload, state, created_at, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)
                ON CONFLICT (key) DO NOTHING
                RETURNING id
                """,
                [
                    .text(notification.key), receiver, .text(notification.lead.fingerprint.rawValue),
                    .text(notification.status.rawValue), key, try self.json(notification), now.sqlite,
                    now.sqlite,
                ])
            for row in inserted {
                for alert in notification.alerts {
                    _ = try db.query(
                        "INSERT INTO notification_alerts (notification_id, fingerprint, status) VALUES (?, ?, ?)",
                        [
                            row.column("id") ?? .null, .text(alert.fingerprint.rawValue),
                            .text(alert.status.rawValue),
                        ])
                }
            }
        }
        if let log = flush.log {
            _ = try db.query(
                """
                INSERT INTO notification_log (receiver, group_key, entry, sent_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (receiver, group_key) DO UPDATE SET entry = excluded.entry, sent_at = excluded.sent_at
                """,
                [receiver, key, try self.json(log), log.sentAt.sqlite])
        }
        for fingerprint in flush.leaving {
            _ = try db.query(
                """
                DELETE FROM alert_group_members WHERE receiver = ? AND group_key = ? AND fingerprint = ?
                    AND EXISTS (SELECT 1 FROM alerts a WHERE a.fingerprint = ? AND a.status = 'resolved')
                """,
                [receiver, key, .text(fingerprint.rawValue), .text(fingerprint.rawValue)])
        }
        _ = try db.query(
            """
            DELETE FROM alert_groups WHERE receiver = ? AND group_key = ? AND NOT EXISTS (
                SELECT 1 FROM alert_group_members m WHERE m.receiver = ? AND m.group_key = ?)
            """,
            [receiver, key, receiver, key])
        _ = try db.query(
            """
            UPDATE alert_groups SET flushed_at = ?,
                next_flush_at = CASE WHEN version = ? THEN ? ELSE min(?, ?) END
            WHERE receiver = ? AND group_key = ?
            """,
            [
                now.sqlite, .integer(flush.version), flush.nextFlushAt.sqlite, flush.nextFlushAt.sqlite, flush.nextFlushIfChanged.sqlite,
                receiver, key,
            ])
    }
}
