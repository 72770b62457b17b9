import AlertCore
import Foundation

/// How fast humans respond to each alert group: the first notification of an alert, and the
/// group's history of acknowledgements and missed responses.
extension SQLiteTenantStore {
    /// When a receiver was first told of the alert's current episode: the earliest delivered
    /// attempt of a firing notification that named it since it started firing.
    func firstNotification(of record: AlertRecord, in db: SQLiteConnection) throws -> Date? {
        try db.query(
            """
            SELECT min(a.at) AS at FROM notification_alerts m JOIN delivery_attempts a ON a.notification_id = m.notification_id
            WHERE m.fingerprint = ? AND m.status = 'firing' AND a.outcome = 'delivered' AND a.at >= ?
            """,
            [.text(record.fingerprint.rawValue), record.firstSeenAt.sqlite]
        ).first?.column("at")?.date
    }

    func recordMissedResponse(_ group: String, at now: Date, policy: RatingPolicy, in db: SQLiteConnection) throws {
        let history = try self.history(group, in: db) ?? ResponseHistory(updatedAt: now)
        try self.saveHistory(group, history.recordingMiss(at: now, policy: policy), in: db)
    }

    func saveHistory(_ group: String, _ history: ResponseHistory, in db: SQLiteConnection) throws {
        _ = try db.query(
            """
            INSERT INTO response_history (response_group, weight, total, latency_seconds, missed, updated_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (response_group) DO UPDATE SET weight = excluded.weight, total = excluded.total,
            latency_seconds = excluded.latency_seconds, missed = excluded.missed, updated_at = excluded.updated_at
            """,
            [
                .text(group), .float(history.weight), .float(history.total), .float(history.latencySeconds), .float(history.missed),
                history.updatedAt.sqlite,
            ])
        ratingInputsCache.invalidate()
    }

    func history(_ group: String, in db: SQLiteConnection) throws -> ResponseHistory? {
        try db.query(
            "SELECT weight, total, latency_seconds, missed, updated_at FROM response_history WHERE response_group = ?", [.text(group)]
        ).first.map {
            ResponseHistory(
                weight: $0.column("weight")?.double ?? 0, total: $0.column("total")?.double ?? 0,
                latencySeconds: $0.column("latency_seconds")?.double ?? 0, missed: $0.column("missed")?.double ?? 0,
                updatedAt: $0.column("updated_at")?.date ?? Date())
        }
    }
}
