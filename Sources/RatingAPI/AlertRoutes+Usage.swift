import AlertCore
import Foundation
import HTTPCore
import Hummingbird

extension AlertRoutes {
    /// `GET /v1/tenant/usage`: the tenant's quotas next to what it uses of them now.
    @Sendable func usage(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        JSONBody(value: try await usage(of: try context.require(anyOf: Scope.tenantAdmin), at: now()))
    }

    /// The caller's tenant's quotas and what it uses of them at `now`; the API and the console
    /// show the same.
    func usage(of identity: TenantIdentity, at now: Date) async throws -> UsageView {
        let config = try tenant(identity)
        let stored = try await readStore(identity) { try await $0.usage(at: now) }
        return UsageView(
            tenant: identity.tenant.rawValue, quotas: config.quotas,
            ingestAlertsAvailable: max(0, limiter.available(tenant: identity.tenant, quotas: config.quotas, at: now).rounded(.down)),
            store: stored)
    }
}

struct UsageView: Encodable {
    var tenant: String
    var quotas: Quotas
    /// Alerts the ingest token bucket admits right now.
    var ingestAlertsAvailable: Double
    var store: TenantUsage
}
