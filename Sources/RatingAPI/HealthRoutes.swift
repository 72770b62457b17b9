import AlertCore
import Hummingbird

/// `/healthz` (the process is alive) and `/readyz` (tenants loaded and every tenant's store
/// answers).
public struct HealthRoutes: Sendable {
    let catalog: TenantCatalog
    let stores: any TenantStoreProvider

    public init(catalog: TenantCatalog, stores: any TenantStoreProvider) {
        self.catalog = catalog
        self.stores = stores
    }

    public func register<Context: RequestContext>(on router: Hummingbird.Router<Context>) {
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            let tenants = catalog.all
            guard !tenants.isEmpty else { throw Problem.unavailable("no tenants are loaded") }
            for tenant in tenants {
                do {
                    try await stores.store(for: tenant.id).ping()
                } catch {
                    throw Problem.unavailable("the store of tenant \(tenant.id) does not answer")
                }
            }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ready\n")))
        }
    }
}
