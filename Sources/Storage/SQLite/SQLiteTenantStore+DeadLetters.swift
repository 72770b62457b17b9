import AlertCore
import Foundation

extension SQLiteTenantStore {
    static let summaryColumns = """
        n.id, n.payload, n.state, n.attempts, n.created_at, n.next_attempt_at,
        (SELECT a.error FROM delivery_attempts a WHERE a.notification_id = n.id AND a.error IS NOT NULL ORDER BY a.id DESC LIMIT 1) AS last_error
        """

    public func deliveries(in state: DeliveryState, limit: Int) async throws -> [DeliverySummary] {
        try await read { db in
            try db.query(
                "SELECT \(Self.summaryColumns) FROM notifications n WHERE n.state = ? ORDER BY n.id DESC LIMIT ?",
                [.text(state.rawValue), .integer(limit)]
            ).map(self.summary)
        }
    }

    public func replay(delivery id: Int64, at now: Date) async throws -> DeliverySummary? {
        try await write { db in
            let replayed = try db.query(
                "UPDATE notifications SET state = 'pending', next_attempt_at = ?, first_attempt_at = NULL WHERE id = ? AND state = 'dead' RETURNING id",
                [now.sqlite, .integer(Int(id))])
            guard !replayed.isEmpty else { return nil }
            let rows = try db.query(
                "SELECT \(Self.summaryColumns) FROM notifications n WHERE n.id = ? AND n.state = 'pending'", [.integer(Int(id))])
            return try rows.first.map(self.summary)
        }
    }

    func summary(_ row: SQLiteRow) throws -> DeliverySummary {
        guard let id = row.column("id")?.integer, let state = row.column("state")?.string.flatMap(DeliveryState.init),
            let createdAt = row.column("created_at")?.date
        else { throw StoreError(.corruptRow, "a notification row of tenant \(tenant) is incomplete") }
        return DeliverySummary(
            id: Int64(id), notification: try decode(AlertNotification.self, row, "payload"), state: state,
            attempts: row.column("attempts")?.integer ?? 0, createdAt: createdAt, nextAttemptAt: row.column("next_attempt_at")?.date,
            lastError: row.column("last_error")?.string)
    }
}
