import AlertCore
import Foundation
import HTTPCore
import Hummingbird

extension ConsoleRoutes {
    /// The tenant's quotas next to what it uses of them now.
    @Sendable func tenantPage(_ request: Request, context: AlertdRequestContext) async throws -> ConsolePage<TenantContent> {
        let identity = try context.require(anyOf: Scope.tenantAdmin)
        let now = alerts.now()
        let usage = try await alerts.usage(of: identity, at: now)
        let content = TenantContent(name: try alerts.tenant(identity).name, usage: usage, now: now)
        return try page("tenant", title: "Tenant", section: .tenant, context: context, content: content)
    }
}

/// The tenant page.
struct TenantContent {
    var name: String
    var quotas: [Row]
    var store: [String]

    struct Row {
        var name: String
        var limit: String
        var used: String
        /// Percent of the limit in use, when the quota is a ceiling on something counted now.
        var share: String?
    }

    init(name: String, usage view: UsageView, now: Date) {
        self.name = name
        let quotas = view.quotas, usage = view.store, ingestAvailable = view.ingestAlertsAvailable
        let burst = Double(quotas.ingestBurst)
        self.quotas = [
            Row(
                name: "ingestBurst", limit: "\(quotas.ingestBurst) alerts", used: "\(Int(burst - min(burst, ingestAvailable))) taken from the bucket",
                share: String(Int(((burst - min(burst, ingestAvailable)) / max(1, burst) * 100).rounded()))),
            Row(name: "ingestPerSecond", limit: "\(quotas.ingestPerSecond.compactText) alerts/s", used: "\(Int(ingestAvailable)) alerts admitted now"),
            Row(
                name: "maxActiveAlerts", limit: "\(quotas.maxActiveAlerts)", used: "\(usage.firingAlerts) firing",
                share: String(Int((Double(usage.firingAlerts) / Double(max(1, quotas.maxActiveAlerts)) * 100).rounded()))),
            Row(name: "notificationsPerMinute", limit: "\(quotas.notificationsPerMinute) per receiver", used: "\(usage.pendingNotifications) notifications queued"),
            Row(name: "maxBatchSize", limit: "\(quotas.maxBatchSize) alerts per request", used: "—"),
            Row(name: "maxBodyBytes", limit: "\(quotas.maxBodyBytes) bytes", used: "—"),
            Row(name: "retentionDays", limit: "\(quotas.retentionDays) days", used: "—"),
        ]
        var store = [
            "\(usage.firingAlerts) firing and \(usage.resolvedAlerts) resolved alerts",
            "\(usage.pendingNotifications) pending and \(usage.deadNotifications) dead notifications",
            "\(usage.activeSilences) active silences",
        ]
        if let oldest = usage.oldestPendingAt {
            let time = ConsoleTime(oldest, now: now)
            store.append("oldest pending notification created \(time.relative) (\(time.absolute))")
        }
        self.store = store
    }
}
