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
}
