import AlertCore
import Foundation
import PostgresNIO

extension PostgresTenantStore {
    /// Sends every statement at once and waits for the answers with the commit: one upsert
    /// per group the routings touch (as the routings' upserts one after another would leave
    /// it: created with the first membership's wait, the last timing and the last trace
    /// given), then one insert of every member and one update of every event.
    func route(_ routings: [EventRouting], at now: Date) async throws {
        var upserts: [GroupRef: GroupUpsert] = [:]
        for routing in routings {
            for membership in routing.memberships {
                let group = GroupRef(receiver: membership.receiver, key: membership.group.key)
                if var upsert = upserts[group] {
                    upsert.timing = membership.timing
                    upsert.traceparent = routing.traceparent ?? upsert.traceparent
                    upserts[group] = upsert
                } else {
                    upserts[group] = GroupUpsert(
                        grouping: membership.group, timing: membership.timing, firstDue: now.addingTimeInterval(membership.timing.wait),
                        traceparent: routing.traceparent)
                }
            }
        }
        // In key order, so that two routings of the tenant at once lock the groups' rows in one order.
        let encoder = StoredJSON.encoder()
        let rows = try upserts.sorted { ($0.key.receiver.rawValue, $0.key.key) < ($1.key.receiver.rawValue, $1.key.key) }.map {
            (
                group: $0.key, upsert: $0.value, grouping: String(decoding: try encoder.encode($0.value.grouping), as: UTF8.self),
                timing: String(decoding: try encoder.encode($0.value.timing), as: UTF8.self)
            )
        }
        let members = routings.flatMap(\.memberships)
        let logger = self.logger
        try await transaction(sending: { connection in
            var sent: [EventLoopFuture<PostgresQueryResult>] = []
            for (group, upsert, grouping, timing) in rows {
                sent.append(
                    connection.query(
                        """
                        INSERT INTO alert_groups (receiver, group_key, grouping, timing, traceparent, next_flush_at, created_at)
                        VALUES (\(group.receiver.rawValue), \(group.key), \(grouping)::jsonb, \(timing)::jsonb,
                            \(upsert.traceparent), \(upsert.firstDue), \(now))
                        ON CONFLICT (receiver, group_key) DO UPDATE SET timing = excluded.timing,
                            traceparent = coalesce(excluded.traceparent, alert_groups.traceparent), version = alert_groups.version + 1,
                            next_flush_at = CASE
                                WHEN alert_groups.flushed_at IS NULL OR alert_groups.claimed_until > excluded.created_at
                                    THEN alert_groups.next_flush_at
                                ELSE least(alert_groups.next_flush_at, greatest(excluded.created_at,
                                    alert_groups.flushed_at + make_interval(secs => (excluded.timing->>'interval')::float8))) END
                        """,
                        logger: logger))
            }
            if !members.isEmpty {
                sent.append(
                    connection.query(
                        """
                        INSERT INTO alert_group_members (receiver, group_key, fingerprint)
                        SELECT * FROM unnest(\(members.map(\.receiver.rawValue))::text[], \(members.map(\.group.key))::text[],
                            \(members.map(\.fingerprint.rawValue))::text[])
                        ON CONFLICT DO NOTHING
                        """,
                        logger: logger))
            }
            sent.append(connection.query("UPDATE events SET routed = true WHERE id = ANY(\(routings.map(\.event)))", logger: logger))
            let statements = sent
            return { for statement in statements { _ = try await statement.get() } }
        })
    }

    /// A claimed group's `next_flush_at` is the end of its claim.
    func nextGroupFlush() async throws -> Date? {
        try await transaction { connection in
            for try await due in try await connection.query("SELECT min(next_flush_at) FROM alert_groups", logger: logger).decode(Date?.self) {
                return due
            }
            return nil
        }
    }

    /// Claims due groups: each is pushed `claimLease` into the future so another replica's
    /// flusher skips it while this one flushes it; an event routed into a claimed group leaves
    /// the claim alone (the flush sees the group's version changed). The members of all of
    /// them come in two queries, not one per group.
    func dueGroups(at now: Date, limit: Int) async throws -> [AlertGroupState] {
        try await transaction { connection in
            let claimed = try await connection.query(
                """
                UPDATE alert_groups SET next_flush_at = \(now.addingTimeInterval(Self.claimLease)),
                    claimed_until = \(now.addingTimeInterval(Self.claimLease))
                WHERE (receiver, group_key) IN (
                    SELECT receiver, group_key FROM alert_groups WHERE next_flush_at <= \(now)
                    ORDER BY next_flush_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING receiver, group_key, grouping::text, timing::text, traceparent, version,
                    (SELECT entry::text FROM notification_log l
                     WHERE l.receiver = alert_groups.receiver AND l.group_key = alert_groups.group_key)
                """,
                logger: logger)
            let decoder = JSONDecoder()
            var groups: [(String, AlertGroupState)] = []
            for try await (receiver, key, grouping, timing, traceparent, version, log)
                in claimed.decode((String, String, String, String, String?, Int, String?).self)
            {
                groups.append(
                    (
                        key,
                        AlertGroupState(
                            receiver: ReceiverName(receiver), group: try decoder.decode(AlertGroupKey.self, from: Data(grouping.utf8)),
                            timing: try decoder.decode(GroupTiming.self, from: Data(timing.utf8)), members: [],
                            log: try log.map { try decoder.decode(NotificationLogEntry.self, from: Data($0.utf8)) },
                            traceparent: traceparent, version: version)
                    ))
            }
            let keys = Array(Set(groups.map(\.0)))
            let memberships = try await connection.query(
                "SELECT receiver, group_key, fingerprint FROM alert_group_members WHERE group_key = ANY(\(keys))", logger: logger)
            var fingerprints: [GroupRef: [String]] = [:]
            for try await (receiver, key, fingerprint) in memberships.decode((String, String, String).self) {
                fingerprints[GroupRef(receiver: ReceiverName(receiver), key: key), default: []].append(fingerprint)
            }
            let alerts = try await decodeAlerts(
                try await connection.query(
                    "SELECT \(unescaped: Self.alertColumns) FROM alerts WHERE fingerprint = ANY(\(Array(Set(fingerprints.values.joined()))))",
                    logger: logger))
            let byFingerprint = Dictionary(alerts.map { ($0.fingerprint.rawValue, $0) }, uniquingKeysWith: { first, _ in first })
            let states = groups.map { key, state in
                var state = state
                state.members = (fingerprints[state.ref] ?? []).compactMap { byFingerprint[$0] }
                return state
            }
            return states
        }
    }

    func apply(_ flushes: [GroupFlush], at now: Date) async throws {
        let encoder = StoredJSON.encoder()
        let encoded = try flushes.map { flush in
            (
                flush, try flush.notification.map { String(decoding: try encoder.encode($0), as: UTF8.self) },
                try flush.log.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            )
        }
        try await transaction { connection in
            for (flush, payload, log) in encoded {
                try await self.apply(flush, payload: payload, log: log, at: now, on: connection)
            }
        }
    }

    private func apply(_ flush: GroupFlush, payload: String?, log: String?, at now: Date, on connection: PostgresConnection) async throws {
        let key = flush.group.key
        if let notification = flush.notification, let payload {
            let inserted = try await connection.query(
                """
                INSERT INTO notifications (key, receiver, fingerprint, status, group_key, payload, state, created_at, next_attempt_at)
                VALUES (\(notification.key), \(notification.receiver.rawValue), \(notification.lead.fingerprint.rawValue),
                    \(notification.status.rawValue), \(key), \(payload)::jsonb, 'pending', \(now), \(now))
                ON CONFLICT (key) DO NOTHING
                RETURNING id
                """,
                logger: logger)
            var ids: [Int64] = []
            for try await id in inserted.decode(Int64.self) { ids.append(id) }
            for id in ids {
                for alert in notification.alerts {
                    try await connection.query(
                        """
                        INSERT INTO notification_alerts (notification_id, fingerprint, status)
                        VALUES (\(id), \(alert.fingerprint.rawValue), \(alert.status.rawValue))
                        """,
                        logger: logger)
                }
            }
        }
        if let log, let sentAt = flush.log?.sentAt {
            try await connection.query(
                """
                INSERT INTO notification_log (receiver, group_key, entry, sent_at)
                VALUES (\(flush.receiver.rawValue), \(key), \(log)::jsonb, \(sentAt))
                ON CONFLICT (receiver, group_key) DO UPDATE SET entry = excluded.entry, sent_at = excluded.sent_at
                """,
                logger: logger)
        }
        try await connection.query(
            """
            DELETE FROM alert_group_members m WHERE m.receiver = \(flush.receiver.rawValue) AND m.group_key = \(key)
                AND m.fingerprint = ANY(\(flush.leaving.map(\.rawValue)))
                AND EXISTS (SELECT 1 FROM alerts a WHERE a.fingerprint = m.fingerprint AND a.status = 'resolved')
            """,
            logger: logger)
        try await connection.query(
            """
            DELETE FROM alert_groups g WHERE g.receiver = \(flush.receiver.rawValue) AND g.group_key = \(key)
                AND NOT EXISTS (SELECT 1 FROM alert_group_members m WHERE m.receiver = g.receiver AND m.group_key = g.group_key)
            """,
            logger: logger)
        try await connection.query(
            """
            UPDATE alert_groups SET flushed_at = \(now), claimed_until = NULL,
                next_flush_at = CASE WHEN version = \(flush.version) THEN \(flush.nextFlushAt)
                    ELSE least(\(flush.nextFlushAt), \(flush.nextFlushIfChanged)) END
            WHERE receiver = \(flush.receiver.rawValue) AND group_key = \(key)
            """,
            logger: logger)
    }
}

/// What routing writes into one group of a batch.
private struct GroupUpsert: Sendable {
    let grouping: AlertGroupKey
    var timing: GroupTiming
    /// When the group is first due, should the batch create it.
    let firstDue: Date
    var traceparent: String?
}
