import AlertCore
import Foundation
import Logging
import Observability
import ServiceLifecycle
import Synchronization

/// Publishes each tenant's delivery queue on an interval: how many notifications are pending
/// (`alertd_delivery_queue_depth`) and how long the oldest has waited
/// (`alertd_delivery_oldest_pending_seconds`). With the delivery worker's `deliveries`
/// schedule, a tenant whose queue was empty at its last reading and that has no delivery
/// scheduled is not read again: its gauges stay at 0 without touching its store.
public struct DeliveryQueueMonitor: Service {
    let catalog: TenantCatalog
    let stores: any TenantStoreProvider
    let interval: Duration
    let deliveries: WorkSchedule?
    let metrics: AlertdMetrics
    let logger: Logger
    private let emptyQueues = EmptyQueues()

    public init(
        catalog: TenantCatalog, stores: any TenantStoreProvider, interval: Duration = .seconds(15), deliveries: WorkSchedule? = nil,
        metrics: AlertdMetrics, logger: Logger
    ) {
        self.catalog = catalog
        self.stores = stores
        self.interval = interval
        self.deliveries = deliveries
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await measure()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// Reads every tenant's queue once; a tenant removed while its queue was read is skipped,
    /// so its dropped gauges do not come back.
    public func measure() async {
        let now = Date()
        let scheduled = deliveries?.scheduledTenants ?? []
        for tenant in catalog.all {
            if deliveries != nil, !scheduled.contains(tenant.id), emptyQueues.tenants.withLock({ $0.contains(tenant.id) }) { continue }
            do {
                let usage = try await stores.store(for: tenant.id).usage(at: now)
                guard catalog[tenant.id] != nil else { continue }
                emptyQueues.tenants.withLock { empty in
                    if usage.pendingNotifications == 0 { empty.insert(tenant.id) } else { empty.remove(tenant.id) }
                }
                metrics.recordDeliveryQueue(
                    tenant: tenant.id.rawValue, depth: usage.pendingNotifications,
                    oldestPendingSeconds: usage.oldestPendingAt.map { max(0, now.timeIntervalSince($0)) } ?? 0)
            } catch {
                logger.warning("reading the delivery queue failed", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            }
        }
    }
}

/// The tenants whose delivery queue was empty at their last reading.
private final class EmptyQueues: Sendable {
    let tenants = Mutex<Set<TenantID>>([])
}
