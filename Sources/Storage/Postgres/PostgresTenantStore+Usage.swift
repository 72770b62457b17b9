import AlertCore
import Foundation
import PostgresNIO

extension PostgresTenantStore {
    func usage(at now: Date) async throws -> TenantUsage {
        try await transaction { connection in
            let rows = try await connection.query(
                """
                SELECT
                    (SELECT count(*) FROM alerts WHERE status = 'firing'),
                    (SELECT count(*) FROM alerts WHERE status = 'resolved'),
                    (SELECT count(*) FROM notifications WHERE state = 'pending'),
                    (SELECT count(*) FROM notifications WHERE state = 'dead'),
                    (SELECT count(*) FROM silences WHERE starts_at <= \(now) AND ends_at > \(now)),
                    (SELECT min(created_at) FROM notifications WHERE state = 'pending')
                """,
                logger: logger)
            for try await (firing, resolved, pending, dead, silences, oldest) in rows.decode((Int, Int, Int, Int, Int, Date?).self) {
                return TenantUsage(
                    firingAlerts: firing, resolvedAlerts: resolved, pendingNotifications: pending, deadNotifications: dead,
                    activeSilences: silences, oldestPendingAt: oldest)
            }
            throw StoreError(.corruptRow, "the usage query of tenant \(tenant) returned no row")
        }
    }

    func changeMark(of status: AlertStatus, at now: Date) async throws -> String {
        try await transaction { connection in
            let rows = try await connection.query(
                """
                SELECT
                    (SELECT concat_ws('|', count(*), max(last_seen_at), max(acknowledged_at), max(feedback_at), sum(score))
                        FROM alerts WHERE status = \(status.rawValue)),
                    (SELECT concat_ws('|', count(*), sum(extract(epoch FROM starts_at)), sum(extract(epoch FROM ends_at)),
                        sum(length(matchers::text)), count(*) FILTER (WHERE starts_at <= \(now) AND ends_at > \(now)))
                        FROM silences)
                """,
                logger: logger)
            for try await (alerts, silences) in rows.decode((String, String).self) {
                return "\(alerts)/\(silences)"
            }
            throw StoreError(.corruptRow, "the change mark query of tenant \(tenant) returned no row")
        }
    }
}
