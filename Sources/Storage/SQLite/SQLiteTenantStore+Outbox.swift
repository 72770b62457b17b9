import AlertCore
import Foundation

extension SQLiteTenantStore {
    public func unroutedEvents(limit: Int) async throws -> [AlertEvent] {
        try await read { db in
            let rows = try db.query(
                "SELECT id, payload, recorded_at FROM events WHERE routed = 0 ORDER BY id LIMIT ?", [.integer(limit)])
            return try rows.map { row in
                let payload = try self.decode(EventPayload.self, row, "payload")
                guard let id = row.column("id")?.integer, let recordedAt = row.column("recorded_at")?.date else {
                    throw StoreError(.corruptRow, "an event row of tenant \(self.tenant) is incomplete")
                }
                return AlertEvent(
                    tenant: self.tenant, id: Int64(id), fingerprint: payload.alert.fingerprint, alert: payload.alert,
                    status: payload.status, rating: payload.rating, recordedAt: recordedAt, traceparent: payload.traceparent)
            }
        }
    }

    public func dueDeliveries(at now: Date, limit: Int) async throws -> [PendingDelivery] {
        try await read { db in
            let rows = try db.query(
                """
                SELECT id, payload, attempts, first_attempt_at, parts_delivered FROM notifications n
                WHERE state = 'pending' AND next_attempt_at <= ? AND NOT EXISTS (
                    SELECT 1 FROM notifications o WHERE o.receiver = n.receiver AND o.group_key = n.group_key
                        AND o.id < n.id AND o.state = 'pending')
                ORDER BY next_attempt_at, id LIMIT ?
                """,
                [now.sqlite, .integer(limit)])
            return try rows.map { row in
                guard let id = row.column("id")?.integer else {
                    throw StoreError(.corruptRow, "a notification row of tenant \(self.tenant) has no id")
                }
                return PendingDelivery(
                    id: Int64(id), notification: try self.decode(AlertNotification.self, row, "payload"),
                    attempts: row.column("attempts")?.integer ?? 0, firstAttemptAt: row.column("first_attempt_at")?.date,
                    partsDelivered: row.column("parts_delivered")?.integer ?? 0)
            }
        }
    }

    public func nextDelivery() async throws -> Date? {
        try await read { db in
            try db.query(
                """
                SELECT min(next_attempt_at) AS due FROM notifications n
                WHERE state = 'pending' AND NOT EXISTS (
                    SELECT 1 FROM notifications o WHERE o.receiver = n.receiver AND o.group_key = n.group_key
                        AND o.id < n.id AND o.state = 'pending')
                """
            ).first?.column("due")?.date
        }
    }

    public func recordAttempt(delivery id: Int64, _ attempt: DeliveryAttempt, nextAttemptAt: Date?) async throws {
        try await write { db in
            let state: DeliveryState =
                switch attempt.outcome {
                case .delivered: .delivered
                case .retry, .held, .delayed: .pending
                case .dead: .dead
                }
            _ = try db.query(
                "INSERT INTO delivery_attempts (notification_id, at, http_status, error, outcome) VALUES (?, ?, ?, ?, ?)",
                [
                    .integer(Int(id)), attempt.at.sqlite, attempt.httpStatus.map { .integer($0) } ?? .null,
                    attempt.error.map { .text($0) } ?? .null, .text(attempt.outcome.rawValue),
                ])
            _ = try db.query(
                """
                UPDATE notifications SET state = ?, attempts = attempts + 1,
                first_attempt_at = COALESCE(first_attempt_at, ?), next_attempt_at = ?,
                parts_delivered = max(parts_delivered, ?)
                WHERE id = ?
                """,
                [
                    .text(state.rawValue), attempt.at.sqlite, nextAttemptAt?.sqlite ?? .null, .integer(attempt.partsDelivered ?? 0),
                    .integer(Int(id)),
                ])
        }
    }

    public func deliveries(_ fingerprint: Fingerprint) async throws -> [DeliveryRecord] {
        try await read { db in
            let notifications = try db.query(
                """
                SELECT n.id, n.receiver, m.status, n.group_key, n.state, n.next_attempt_at
                FROM notification_alerts m JOIN notifications n ON n.id = m.notification_id
                WHERE m.fingerprint = ? ORDER BY n.id
                """,
                [.text(fingerprint.rawValue)])
            var records: [DeliveryRecord] = []
            for row in notifications {
                let attempts = try db.query(
                    "SELECT at, http_status, error, outcome FROM delivery_attempts WHERE notification_id = ? ORDER BY id",
                    [row.column("id") ?? .null])
                records.append(
                    DeliveryRecord(
                        receiver: ReceiverName(row.column("receiver")?.string ?? ""),
                        status: row.column("status")?.string.flatMap(AlertStatus.init(rawValue:)) ?? .firing,
                        group: row.column("group_key")?.string ?? "",
                        state: row.column("state")?.string.flatMap(DeliveryState.init(rawValue:)) ?? .pending,
                        nextAttemptAt: row.column("next_attempt_at")?.date,
                        attempts: attempts.map {
                            DeliveryAttempt(
                                at: $0.column("at")?.date ?? Date(timeIntervalSince1970: 0),
                                httpStatus: $0.column("http_status")?.integer, error: $0.column("error")?.string,
                                outcome: $0.column("outcome")?.string.flatMap(DeliveryAttempt.Outcome.init(rawValue:)) ?? .retry)
                        }))
            }
            return records
        }
    }

    public func prune(before cutoff: Date, limit: Int) async throws -> Int {
        try await write { db in
            let events = try db.query(
                """
                DELETE FROM events WHERE id IN (
                    SELECT id FROM events WHERE routed = 1 AND recorded_at < ? ORDER BY id LIMIT ?)
                RETURNING id
                """,
                [cutoff.sqlite, .integer(limit)])
            let finished = "SELECT id FROM notifications WHERE state <> 'pending' AND created_at < ? ORDER BY id LIMIT ?"
            _ = try db.query(
                "DELETE FROM delivery_attempts WHERE notification_id IN (\(finished))", [cutoff.sqlite, .integer(limit)])
            _ = try db.query(
                "DELETE FROM notification_alerts WHERE notification_id IN (\(finished))", [cutoff.sqlite, .integer(limit)])
            let notifications = try db.query(
                "DELETE FROM notifications WHERE id IN (\(finished)) RETURNING id", [cutoff.sqlite, .integer(limit)])
            let silences = try db.query(
                "DELETE FROM silences WHERE id IN (SELECT id FROM silences WHERE ends_at < ? ORDER BY ends_at LIMIT ?) RETURNING id",
                [cutoff.sqlite, .integer(limit)])
            let log = try db.query(
                """
                DELETE FROM notification_log AS l WHERE sent_at < ? AND NOT EXISTS (
                    SELECT 1 FROM alert_groups g WHERE g.receiver = l.receiver AND g.group_key = l.group_key)
                RETURNING receiver
                """,
                [cutoff.sqlite])
            return events.count + notifications.count + silences.count + log.count
        }
    }
}
