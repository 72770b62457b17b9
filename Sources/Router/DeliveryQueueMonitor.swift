import AlertCore
import Foundation
import Logging
import Observability
import ServiceLifecycle

/// Publishes each tenant's delivery queue on an interval: how many notifications are pending
/// (`alertd_delivery_queue_depth`) and how long the oldest has waited
/// (`alertd_delivery_oldest_pending_seconds`).
public struct DeliveryQueueMonitor: Service {
    let catalog: TenantCatalog
    let stores: any TenantStoreProvider
    let interval: Duration
    let metrics: AlertdMetrics
    let logger: Logger

    public init(
        catalog: TenantCatalog, stores: any TenantStoreProvider, interval: Duration = .seconds(15), metrics: AlertdMetrics, logger: Logger
    ) {
        self.catalog = catalog
        self.stores = stores
        self.interval = interval
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully {
            await measure()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Reads every tenant's queue once; a tenant removed while its queue was read is skipped,
    /// so its dropped gauges do not come back.
    public func measure() async {
        let now = Date()
        for tenant in catalog.all {
            do {
                let usage = try await stores.store(for: tenant.id).usage(at: now)
                guard catalog[tenant.id] != nil else { continue }
                metrics.recordDeliveryQueue(
                    tenant: tenant.id.rawValue, depth: usage.pendingNotifications,
                    oldestPendingSeconds: usage.oldestPendingAt.map { max(0, now.timeIntervalSince($0)) } ?? 0)
            } catch {
                logger.warning("reading the delivery queue failed", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            }
        }
    }
}
