import AlertCore
import Foundation
import Hummingbird

extension AlertRoutes {
    /// `GET /v1/tenant/usage`: the tenant's quotas next to what it uses of them now.
    @Sendable func usage(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.tenantAdmin)
        let config = try tenant(identity)
        let now = Date()
        let stored = try await readStore(identity) { try await $0.usage(at: now) }
        let quotas = config.quotas
        return JSONBody(
            value: UsageView(
                tenant: identity.tenant.rawValue,
                quotas: UsageView.Quotas(
                    ingestPerSecond: quotas.ingestPerSecond, ingestBurst: quotas.ingestBurst, maxBodyBytes: quotas.maxBodyBytes,
                    maxBatchSize: quotas.maxBatchSize, maxActiveAlerts: quotas.maxActiveAlerts,
                    notificationsPerMinute: quotas.notificationsPerMinute, retentionDays: quotas.retentionDays),
                ingestAlertsAvailable: max(0, limiter.available(tenant: identity.tenant, quotas: quotas, at: now).rounded(.down)),
                store: stored))
    }
}

struct UsageView: Encodable {
    struct Quotas: Encodable {
        var ingestPerSecond: Double
        var ingestBurst: Int
        var maxBodyBytes: Int
        var maxBatchSize: Int
        var maxActiveAlerts: Int
        var notificationsPerMinute: Int
        var retentionDays: Int
    }

    var tenant: String
    var quotas: Quotas
    /// Alerts the ingest token bucket admits right now.
    var ingestAlertsAvailable: Double
    var store: TenantUsage
}
