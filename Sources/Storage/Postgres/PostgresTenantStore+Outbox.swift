import AlertCore
import Foundation
import PostgresNIO

extension PostgresTenantStore {
    /// How long a claimed notification stays with the replica that claimed it.
    static let claimLease: TimeInterval = 120

    func unroutedEvents(limit: Int) async throws -> [AlertEvent] {
        try await transaction { connection in
            let rows = try await connection.query(
                "SELECT id, payload::text, recorded_at FROM events WHERE NOT routed ORDER BY id LIMIT \(limit)", logger: logger)
            var events: [AlertEvent] = []
            for try await (id, payload, recordedAt) in rows.decode((Int64, String, Date).self) {
                let event = try JSONDecoder().decode(EventPayload.self, from: Data(payload.utf8))
                events.append(
                    AlertEvent(
                        tenant: tenant, id: id, fingerprint: event.alert.fingerprint, alert: event.alert, status: event.status,
                        rating: event.rating, recordedAt: recordedAt, traceparent: event.traceparent))
            }
            return events
        }
    }

    /// A claimed notification's `next_attempt_at` is the end of its claim.
    func nextDelivery() async throws -> Date? {
        try await transaction { connection in
            let rows = try await connection.query(
                """
                SELECT min(next_attempt_at) FROM notifications n WHERE state = 'pending' AND NOT EXISTS (
                    SELECT 1 FROM notifications o WHERE o.receiver = n.receiver AND o.group_key = n.group_key
                        AND o.id < n.id AND o.state = 'pending')
                """,
                logger: logger)
            for try await due in rows.decode(Date?.self) { return due }
            return nil
        }
    }

    /// Claims due notifications: each is pushed `claimLease` into the future so another
    /// replica's worker skips it while this one delivers it. A notification waits while an
    /// older one of its group and receiver is pending, so a group's notifications arrive in order.
    func dueDeliveries(at now: Date, limit: Int) async throws -> [PendingDelivery] {
        try await transaction { connection in
            let rows = try await connection.query(
                """
                UPDATE notifications SET next_attempt_at = \(now.addingTimeInterval(Self.claimLease))
                WHERE id IN (
                    SELECT id FROM notifications n WHERE state = 'pending' AND next_attempt_at <= \(now)
                        AND NOT EXISTS (
                            SELECT 1 FROM notifications o WHERE o.receiver = n.receiver AND o.group_key = n.group_key
                                AND o.id < n.id AND o.state = 'pending')
                    ORDER BY next_attempt_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING id, payload::text, attempts, first_attempt_at, parts_delivered
                """,
                logger: logger)
            var due: [PendingDelivery] = []
            for try await (id, payload, attempts, firstAttemptAt, partsDelivered) in rows.decode((Int64, String, Int, Date?, Int).self) {
                due.append(
                    PendingDelivery(
                        id: id, notification: try JSONDecoder().decode(AlertNotification.self, from: Data(payload.utf8)),
                        attempts: attempts, firstAttemptAt: firstAttemptAt, partsDelivered: partsDelivered))
            }
            return due.sorted { $0.id < $1.id }
        }
    }

    func recordAttempt(delivery id: Int64, _ attempt: DeliveryAttempt, nextAttemptAt: Date?) async throws {
        let state: DeliveryState =
            switch attempt.outcome {
            case .delivered: .delivered
            case .retry, .held, .delayed: .pending
            case .dead: .dead
            }
        try await transaction { connection in
            try await connection.query(
                """
                INSERT INTO delivery_attempts (notification_id, at, http_status, error, outcome)
                VALUES (\(id), \(attempt.at), \(attempt.httpStatus), \(attempt.error), \(attempt.outcome.rawValue))
                """,
                logger: logger)
            try await connection.query(
                """
                UPDATE notifications SET state = \(state.rawValue), attempts = attempts + 1,
                    first_attempt_at = coalesce(first_attempt_at, \(attempt.at)), next_attempt_at = \(nextAttemptAt),
                    parts_delivered = greatest(parts_delivered, \(attempt.partsDelivered ?? 0))
                WHERE id = \(id)
                """,
                logger: logger)
        }
    }

    func deliveries(_ fingerprint: Fingerprint) async throws -> [DeliveryRecord] {
        try await transaction { connection in
            let rows = try await connection.query(
                """
                SELECT n.id, n.receiver, m.status, n.group_key, n.state, n.next_attempt_at, a.at, a.http_status, a.error, a.outcome
                FROM notification_alerts m JOIN notifications n ON n.id = m.notification_id
                    LEFT JOIN delivery_attempts a ON a.notification_id = n.id
                WHERE m.fingerprint = \(fingerprint.rawValue) ORDER BY n.id, a.id
                """,
                logger: logger)
            var records: [(Int64, DeliveryRecord)] = []
            for try await (id, receiver, status, group, state, next, at, httpStatus, error, outcome)
                in rows.decode((Int64, String, String, String, String, Date?, Date?, Int?, String?, String?).self)
            {
                if records.last?.0 != id {
                    records.append(
                        (
                            id,
                            DeliveryRecord(
                                receiver: ReceiverName(receiver), status: AlertStatus(rawValue: status) ?? .firing, group: group,
                                state: DeliveryState(rawValue: state) ?? .pending, nextAttemptAt: next, attempts: [])
                        ))
                }
                if let at, let outcome = outcome.flatMap(DeliveryAttempt.Outcome.init(rawValue:)) {
                    records[records.count - 1].1.attempts.append(
                        DeliveryAttempt(at: at, httpStatus: httpStatus, error: error, outcome: outcome))
                }
            }
            return records.map(\.1)
        }
    }

    func prune(before cutoff: Date, limit: Int) async throws -> Int {
        try await transaction { connection in
            var removed = 0
            let events = try await connection.query(
                """
                DELETE FROM events WHERE id IN (
                    SELECT id FROM events WHERE routed AND recorded_at < \(cutoff) ORDER BY id LIMIT \(limit))
                RETURNING id
                """,
                logger: logger)
            for try await _ in events.decode(Int64.self) { removed += 1 }
            let notifications = try await connection.query(
                """
                DELETE FROM notifications WHERE id IN (
                    SELECT id FROM notifications WHERE state <> 'pending' AND created_at < \(cutoff) ORDER BY id LIMIT \(limit))
                RETURNING id
                """,
                logger: logger)
            for try await _ in notifications.decode(Int64.self) { removed += 1 }
            let silences = try await connection.query(
                """
                DELETE FROM silences WHERE id IN (
                    SELECT id FROM silences WHERE ends_at < \(cutoff) ORDER BY ends_at LIMIT \(limit))
                RETURNING id
                """,
                logger: logger)
            for try await _ in silences.decode(String.self) { removed += 1 }
            let log = try await connection.query(
                """
                DELETE FROM notification_log l WHERE sent_at < \(cutoff) AND NOT EXISTS (
                    SELECT 1 FROM alert_groups g WHERE g.receiver = l.receiver AND g.group_key = l.group_key)
                RETURNING receiver
                """,
                logger: logger)
            for try await _ in log.decode(String.self) { removed += 1 }
            return removed
        }
    }
}
