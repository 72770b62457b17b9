import AlertCore
import Hummingbird

/// `/healthz` (the process is alive) and `/readyz` (tenants loaded, every tenant's store
/// answers and every probe passes, such as the Kafka broker or, behind a gateway, alertd
/// rating; a JSON body says what is not ready). A process without tenant data has no stores.
public struct HealthRoutes: Sendable {
    let catalog: TenantCatalog
    let stores: (any TenantStoreProvider)?
    let probes: [ReadinessProbe]

    public init(catalog: TenantCatalog, stores: (any TenantStoreProvider)?, probes: [ReadinessProbe] = []) {
        self.catalog = catalog
        self.stores = stores
        self.probes = probes
    }

    public func register<Context: RequestContext>(on router: Hummingbird.Router<Context>) {
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            let readiness = await readiness()
            let body = try RFC3339.jsonEncoder().encode(readiness)
            return Response(
                status: readiness.ready ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    /// How many tenants' stores `/readyz` asks at a time (a PostgreSQL store's answer is a
    /// round trip to the database).
    static let concurrentPings = 8

    /// What `/readyz` reports: counts only, so an unauthenticated probe learns no tenant ids.
    struct Readiness: Encodable {
        var ready: Bool
        var tenants: Int
        var storesFailing: Int
        var reasons: [String]
    }

    func readiness() async -> Readiness {
        let tenants = catalog.all
        var failing = 0
        if let stores {
            let answers = await tenants.map(\.id).concurrentMap(width: Self.concurrentPings) { tenant in
                (try? await stores.ping(tenant)) != nil
            }
            failing = answers.filter { !$0 }.count
        }
        var reasons: [String] = []
        if tenants.isEmpty { reasons.append("no tenants are loaded") }
        if failing > 0 { reasons.append("\(failing) of \(tenants.count) tenant stores do not answer") }
        for probe in probes {
            if let reason = await probe.check() { reasons.append(reason) }
        }
        return Readiness(ready: reasons.isEmpty, tenants: tenants.count, storesFailing: failing, reasons: reasons)
    }
}
