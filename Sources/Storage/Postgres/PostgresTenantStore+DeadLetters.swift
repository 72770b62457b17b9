import AlertCore
import Foundation
import PostgresNIO

extension PostgresTenantStore {
    static let summaryColumns = """
        n.id, n.payload::text, n.state, n.attempts, n.created_at, n.next_attempt_at,
        (SELECT a.error FROM delivery_attempts a WHERE a.notification_id = n.id AND a.error IS NOT NULL ORDER BY a.id DESC LIMIT 1)
        """

    func deliveries(in state: DeliveryState, limit: Int) async throws -> [DeliverySummary] {
        try await transaction { connection in
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.summaryColumns) FROM notifications n WHERE n.state = \(state.rawValue) ORDER BY n.id DESC LIMIT \(limit)",
                logger: logger)
            return try await decodeSummaries(rows)
        }
    }

    func replay(delivery id: Int64, at now: Date) async throws -> DeliverySummary? {
        try await transaction { connection in
            let replayed = try await connection.query(
                """
                UPDATE notifications SET state = 'pending', next_attempt_at = \(now), first_attempt_at = NULL
                WHERE id = \(id) AND state = 'dead' RETURNING id
                """,
                logger: logger)
            var found = false
            for try await _ in replayed.decode(Int64.self) { found = true }
            guard found else { return nil }
            let rows = try await connection.query(
                "SELECT \(unescaped: Self.summaryColumns) FROM notifications n WHERE n.id = \(id) AND n.state = 'pending'", logger: logger)
            return try await decodeSummaries(rows).first
        }
    }

    private func decodeSummaries(_ rows: PostgresRowSequence) async throws -> [DeliverySummary] {
        var summaries: [DeliverySummary] = []
        for try await (id, payload, state, attempts, createdAt, nextAttemptAt, lastError) in rows.decode(
            (Int64, String, String, Int, Date, Date?, String?).self)
        {
            guard let state = DeliveryState(rawValue: state) else {
                throw StoreError(.corruptRow, "notification \(id) of tenant \(tenant) has state \(state)")
            }
            summaries.append(
                DeliverySummary(
                    id: id, notification: try JSONDecoder().decode(AlertNotification.self, from: Data(payload.utf8)), state: state,
                    attempts: attempts, createdAt: createdAt, nextAttemptAt: nextAttemptAt, lastError: lastError))
        }
        return summaries
    }
}
