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

    public func changeMark(of status: AlertStatus, at now: Date) async throws -> String {
        try await read { db in
            let row = try db.query(
                """
                SELECT
                    (SELECT count(*) || '|' || ifnull(max(last_seen_at), '') || '|' || ifnull(max(acknowledged_at), '') || '|'
                        || ifnull(max(feedback_at), '') || '|' || total(score) FROM alerts WHERE status = ?) AS alerts,
                    (SELECT count(*) || '|' || total(starts_at) || '|' || total(ends_at) || '|' || total(length(matchers)) || '|'
                        || sum(starts_at <= ? AND ends_at > ?) FROM silences) AS silences
                """,
                [.text(status.rawValue), now.sqlite, now.sqlite]
            ).first
            return "\(row?.column("alerts")?.string ?? "")/\(row?.column("silences")?.string ?? "")"
        }
    }
}
