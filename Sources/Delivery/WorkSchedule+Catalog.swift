import AlertCore
import Foundation
import ServiceLifecycle

extension WorkSchedule {
    /// Serves `catalog`'s tenants until the task is cancelled or the service group shuts down:
    /// `pass` runs for each tenant when it is due and returns when it is next due.
    func serve(_ catalog: TenantCatalog, recheck: Duration, pass: @escaping @Sendable (TenantConfig) async -> Date?) async {
        await serve(
            tenants: { catalog.all.map(\.id) }, recheck: recheck, isRunning: { !Task.isCancelled && !Task.isShuttingDownGracefully }
        ) { tenant in
            guard let config = catalog[tenant] else { return nil }
            return await pass(config)
        }
    }
}

extension TenantCatalog {
    /// Runs `pass` for every tenant at once and waits for all of them.
    func forEachTenant(_ pass: @escaping @Sendable (TenantConfig) async -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            for tenant in all {
                group.addTask { await pass(tenant) }
            }
        }
    }
}
