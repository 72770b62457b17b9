import AlertCore
import Foundation
import Logging
import ServiceLifecycle

/// Enforces each tenant's `quotas.retentionDays`: deletes older ledger events and finished
/// notifications in small batches, on an interval.
public struct RetentionWorker: Service {
    let catalog: TenantCatalog
    let stores: any TenantStoreProvider
    let interval: Duration
    let batchSize: Int
    let logger: Logger

    public init(
        catalog: TenantCatalog, stores: any TenantStoreProvider, interval: Duration = .seconds(3_600), batchSize: Int = 500,
        logger: Logger
    ) {
        self.catalog = catalog
        self.stores = stores
        self.interval = interval
        self.batchSize = batchSize
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await pruneAll(at: Date())
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One pass over every tenant.
    public func pruneAll(at now: Date) async {
        for tenant in catalog.all {
            let cutoff = now.addingTimeInterval(-Double(tenant.quotas.retentionDays) * 86_400)
            do {
                let maintenance: any TenantMaintenance = try await stores.store(for: tenant.id)
                var removed = 0
                while !Task.isShuttingDownGracefully {
                    let batch = try await maintenance.prune(before: cutoff, limit: batchSize)
                    removed += batch
                    if batch < batchSize { break }
                }
                if removed > 0 { logger.info("retention pruned rows", metadata: ["tenant": "\(tenant.id)", "rows": "\(removed)"]) }
            } catch {
                logger.error("retention pass failed", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            }
        }
    }
}
