import AlertCore
import Foundation
import PostgresNIO

/// How fast humans respond to each alert group: the first notification of an alert, and the
/// group's history of acknowledgements and missed responses.
extension PostgresTenantStore {
    /// When a receiver was first told of the alert's current episode: the earliest delivered
    /// attempt of a firing notification that named it since it started firing.
    func firstNotification(of record: AlertRecord, on connection: PostgresConnection) async throws -> Date? {
        let rows = try await connection.query(
            """
            SELECT min(a.at) FROM notification_alerts m JOIN delivery_attempts a ON a.notification_id = m.notification_id
            WHERE m.fingerprint = \(record.fingerprint.rawValue) AND m.status = 'firing' AND a.outcome = 'delivered'
                AND a.at >= \(record.firstSeenAt)
            """,
            logger: logger)
        for try await at in rows.decode(Date?.self) { return at }
        return nil
    }

    /// The group's history, its row locked for the transaction; a group without history gets
    /// an empty row first, so that two transactions starting its history take turns instead of
    /// one overwriting the other's.
    func lockHistory(_ group: String, at now: Date, on connection: PostgresConnection) async throws -> ResponseHistory {
        let empty = ResponseHistory(updatedAt: now)
        // Sent without waiting: the connection runs it before the read that follows, whose
        // failure after a failed insert reports the insert's error.
        let created: EventLoopFuture<PostgresQueryResult> = connection.query(
            """
            INSERT INTO response_history (response_group, weight, total, latency_seconds, missed, updated_at)
            VALUES (\(group), \(empty.weight), \(empty.total), \(empty.latencySeconds), \(empty.missed), \(empty.updatedAt))
            ON CONFLICT (response_group) DO NOTHING
            """,
            logger: logger)
        let rows: PostgresRowSequence
        do {
            rows = try await connection.query(
                """
                SELECT weight, total, latency_seconds, missed, updated_at FROM response_history
                WHERE response_group = \(group) FOR UPDATE
                """,
                logger: logger)
        } catch {
            _ = try await created.get()
            throw error
        }
        _ = try await created.get()
        for try await (weight, total, latency, missed, updatedAt) in rows.decode((Double, Double, Double, Double, Date).self) {
            return ResponseHistory(weight: weight, total: total, latencySeconds: latency, missed: missed, updatedAt: updatedAt)
        }
        return empty
    }

    func recordMissedResponse(_ group: String, at now: Date, policy: RatingPolicy, on connection: PostgresConnection) async throws {
        let history = try await lockHistory(group, at: now, on: connection)
        try await saveHistory(group, history.recordingMiss(at: now, policy: policy), on: connection)
    }

    func saveHistory(_ group: String, _ history: ResponseHistory, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO response_history (response_group, weight, total, latency_seconds, missed, updated_at)
            VALUES (\(group), \(history.weight), \(history.total), \(history.latencySeconds), \(history.missed), \(history.updatedAt))
            ON CONFLICT (response_group) DO UPDATE SET weight = excluded.weight, total = excluded.total,
                latency_seconds = excluded.latency_seconds, missed = excluded.missed, updated_at = excluded.updated_at
            """,
            logger: logger)
        ratingInputsCache.invalidate()
    }
}
