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
                    (SELECT count(*) FROM silences WHERE starts_at <= \(now) AND ends_at > \(now))
                """,
                logger: logger)
            for try await (firing, resolved, pending, dead, silences) in rows.decode((Int, Int, Int, Int, Int).self) {
                return TenantUsage(
                    firingAlerts: firing, resolvedAlerts: resolved, pendingNotifications: pending, deadNotifications: dead,
                    activeSilences: silences)
            }
            throw StoreError(.corruptRow, "the usage query of tenant \(tenant) returned no row")
        }
    }
}
