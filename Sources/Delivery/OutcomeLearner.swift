import AlertCore
import Foundation
import Logging
import Observability
import ServiceLifecycle

/// Teaches each learned-mode tenant's rating model the outcomes of its alerts: on an interval,
/// the alerts whose episode ended more than `grace` ago (time for feedback to arrive first),
/// in batches. Counts the drift events the model records.
public struct OutcomeLearner: Service {
    let catalog: TenantCatalog
    let stores: any TenantStoreProvider
    let interval: Duration
    let grace: TimeInterval
    let batchSize: Int
    let metrics: AlertdMetrics
    let logger: Logger
    private let driftSeen = DriftCounts()

    public init(
        catalog: TenantCatalog, stores: any TenantStoreProvider, interval: Duration = .seconds(600), grace: TimeInterval = 3_600,
        batchSize: Int = 500, metrics: AlertdMetrics, logger: Logger
    ) {
        self.catalog = catalog
        self.stores = stores
        self.interval = interval
        self.grace = grace
        self.batchSize = batchSize
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await learnAll(at: Date())
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One pass over every tenant in learned mode.
    public func learnAll(at now: Date) async {
        for tenant in catalog.all where tenant.rating.mode == .learned {
            do {
                let stats: any RatingStats = try await stores.store(for: tenant.id)
                var learned = 0
                while !Task.isShuttingDownGracefully {
                    let batch = try await stats.learnOutcomes(
                        endedBefore: now.addingTimeInterval(-grace), at: now, policy: tenant.rating, limit: batchSize)
                    learned += batch
                    if batch < batchSize { break }
                }
                guard learned > 0, let model = try await stats.ratingModel() else { continue }
                let new = await driftSeen.update(tenant.id, total: model.driftEvents.count)
                if new > 0 {
                    metrics.recordDriftEvents(tenant: tenant.id.rawValue, count: new)
                    for event in model.driftEvents.suffix(new) {
                        logger.warning(
                            "rating drift: a source's outcomes stopped matching what the model learned; its statistics were mostly forgotten",
                            metadata: [
                                "tenant": "\(tenant.id)", "source": "\(event.source)",
                                "recentLoss": "\(event.recentLoss)", "baselineLoss": "\(event.baselineLoss)",
                            ])
                    }
                }
                logger.debug("outcomes learned", metadata: ["tenant": "\(tenant.id)", "alerts": "\(learned)"])
            } catch {
                logger.error("learning outcomes failed; the next pass retries", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            }
        }
    }
}

/// The drift events already counted per tenant.
actor DriftCounts {
    private var seen: [TenantID: Int] = [:]

    /// How many of `total` events are new since the last update.
    func update(_ tenant: TenantID, total: Int) -> Int {
        let previous = seen[tenant] ?? 0
        seen[tenant] = total
        return max(0, total - previous)
    }
}
