import AlertCore
import Foundation
import Hummingbird

extension AlertRoutes {
    /// `GET /v1/tenant/usage`: the tenant's quotas next to what it uses of them now.
    @Sendable func usage(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.tenantAdmin)
        let config = try tenant(identity)
        let now = self.now()
        let stored = try await readStore(identity) { try await $0.usage(at: now) }
        return JSONBody(
            value: UsageView(
                tenant: identity.tenant.rawValue, quotas: config.quotas,
                ingestAlertsAvailable: max(0, limiter.available(tenant: identity.tenant, quotas: config.quotas, at: now).rounded(.down)),
                store: stored))
    }
}

struct UsageView: Encodable {
    var tenant: String
    var quotas: Quotas
    /// Alerts the ingest token bucket admits right now.
    var ingestAlertsAvailable: Double
    var store: TenantUsage
}
