import AlertCore
import Foundation

extension SQLiteTenantStore {
    public func usage(at now: Date) async throws -> TenantUsage {
        try await read { db in
            let row = try db.query(
                """
                SELECT
                    (SELECT count(*) FROM alerts WHERE status = 'firing') AS firing,
                    (SELECT count(*) FROM alerts WHERE status = 'resolved') AS resolved,
                    (SELECT count(*) FROM notifications WHERE state = 'pending') AS pending,
                    (SELECT count(*) FROM notifications WHERE state = 'dead') AS dead,
                    (SELECT count(*) FROM silences WHERE starts_at <= ? AND ends_at > ?) AS silences,
                    (SELECT min(created_at) FROM notifications WHERE state = 'pending') AS oldest
                """,
                [now.sqlite, now.sqlite]
            ).first
            func count(_ name: String) -> Int { row?.column(name)?.integer ?? 0 }
            return TenantUsage(
                firingAlerts: count("firing"), resolvedAlerts: count("resolved"), pendingNotifications: count("pending"),
                deadNotifications: count("dead"), activeSilences: count("silences"), oldestPendingAt: row?.column("oldest")?.date)
        }
    }
}
