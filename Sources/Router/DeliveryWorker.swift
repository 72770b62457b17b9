import AlertCore
import Foundation
import Logging
import ServiceLifecycle
import Sinks

/// Delivers due notifications from every tenant's outbox, records each attempt, retries with
/// exponential backoff and jitter (honouring `Retry-After`) and dead-letters a notification
/// that still fails after the tenant's `giveUpAfter`.
public struct DeliveryWorker: Service {
    let catalog: TenantCatalog
    let stores: any TenantStoreProvider
    let sender: NotificationSender
    let pollInterval: Duration
    let logger: Logger

    public init(
        catalog: TenantCatalog, stores: any TenantStoreProvider, sender: NotificationSender,
        pollInterval: Duration = .milliseconds(200), logger: Logger
    ) {
        self.catalog = catalog
        self.stores = stores
        self.sender = sender
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            await deliverDue()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: pollInterval) }
        }
    }

    /// One pass over every tenant; tenants are served concurrently, each tenant in order.
    public func deliverDue() async {
        await withTaskGroup(of: Void.self) { group in
            for tenant in catalog.all {
                group.addTask { await self.deliverDue(for: tenant) }
            }
        }
    }

    private func deliverDue(for tenant: TenantConfig) async {
        do {
            let store = try await stores.store(for: tenant.id)
            for delivery in try await store.dueDeliveries(at: Date(), limit: 100) {
                if Task.isShuttingDownGracefully { return }
                let (attempt, next) = await attempt(delivery, tenant: tenant)
                try await store.recordAttempt(delivery: delivery.id, attempt, nextAttemptAt: next)
                logger.log(
                    level: attempt.outcome == .delivered ? .debug : .warning, "delivery \(attempt.outcome.rawValue)",
                    metadata: [
                        "tenant": "\(tenant.id)", "receiver": "\(delivery.notification.receiver)",
                        "fingerprint": "\(delivery.notification.fingerprint)", "error": "\(attempt.error ?? "")",
                    ])
            }
        } catch {
            logger.error("delivery pass failed", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
        }
    }

    /// Sends once and decides what happens next.
    func attempt(_ delivery: PendingDelivery, tenant: TenantConfig) async -> (DeliveryAttempt, Date?) {
        let notification = delivery.notification
        guard let receiver = tenant.receivers[notification.receiver] else {
            let error = "receiver \"\(notification.receiver)\" is no longer configured"
            return (DeliveryAttempt(at: Date(), httpStatus: nil, error: error, outcome: .dead), nil)
        }
        do {
            let status = try await sender.send(notification, to: receiver)
            return (DeliveryAttempt(at: Date(), httpStatus: status, error: nil, outcome: .delivered), nil)
        } catch {
            let now = Date()
            let elapsed = now.timeIntervalSince(delivery.firstAttemptAt ?? now)
            let backoff = tenant.delivery.backoff(
                afterAttempt: delivery.attempts + 1, retryAfter: error.retryAfter, jitter: Double.random(in: 0...1))
            guard error.retryable, elapsed + backoff < tenant.delivery.giveUpAfter else {
                return (DeliveryAttempt(at: now, httpStatus: error.httpStatus, error: error.message, outcome: .dead), nil)
            }
            return (
                DeliveryAttempt(at: now, httpStatus: error.httpStatus, error: error.message, outcome: .retry),
                now.addingTimeInterval(backoff)
            )
        }
    }
}
