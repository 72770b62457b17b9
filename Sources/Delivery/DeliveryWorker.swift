import AlertCore
import Foundation
import Logging
import Observability
import ServiceLifecycle
import Sinks
import Tracing

/// Delivers due notifications from every tenant's outbox, records each attempt, retries with
/// exponential backoff and jitter (honouring `Retry-After`) and dead-letters a notification
/// that still fails after the tenant's `giveUpAfter`. A receiver that keeps failing has its
/// circuit opened: its notifications wait instead of hammering it (see `ReceiverBreaker`).
///
/// Within a tenant, the due notifications of one pass travel in lanes, one per receiver and
/// alert group: a lane is sent in order and stops at its first failure, up to `concurrency` lanes
/// at once.
///
/// A tenant is looked at when a notification of it is due (`schedule`, announced by the group
/// flusher and by replays) and at least every `recheck`; an idle tenant costs nothing in between.
public struct DeliveryWorker: Service {
    let catalog: TenantCatalog
    let stores: any TenantStoreProvider
    let sender: NotificationSender
    let schedule: WorkSchedule
    let recheck: Duration
    let concurrency: Int
    let metrics: AlertdMetrics
    let logger: Logger
    let pacer = ReceiverPacer()
    let breaker: ReceiverBreaker

    public init(
        catalog: TenantCatalog, stores: any TenantStoreProvider, sender: NotificationSender,
        schedule: WorkSchedule = WorkSchedule(spacing: .milliseconds(200)), recheck: Duration = .seconds(30), concurrency: Int = 16,
        breakerThreshold: Int = 5,
        breakerCooldown: TimeInterval = 10, metrics: AlertdMetrics = AlertdMetrics(), logger: Logger
    ) {
        self.breaker = ReceiverBreaker(threshold: breakerThreshold, initialCooldown: breakerCooldown)
        self.catalog = catalog
        self.stores = stores
        self.sender = sender
        self.schedule = schedule
        self.recheck = recheck
        self.concurrency = max(concurrency, 1)
        self.metrics = metrics
        self.logger = logger
    }

    public func run() async throws {
        await schedule.serve(catalog, recheck: recheck) { await self.deliverDue(for: $0) }
    }

    /// One pass over every tenant; tenants are served concurrently.
    public func deliverDue() async {
        await catalog.forEachTenant { _ = await self.deliverDue(for: $0) }
    }

    /// Delivers the tenant's due notifications; returns when its next one is due (nil: none is
    /// pending), or a second from now when the store failed.
    private func deliverDue(for tenant: TenantConfig) async -> Date? {
        let store: any Outbox
        let due: [PendingDelivery]
        do {
            store = try await stores.store(for: tenant.id)
            due = try await store.dueDeliveries(at: Date(), limit: 200)
        } catch {
            logger.error("delivery pass failed", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            return Date().addingTimeInterval(1)
        }
        var lanes: [GroupRef: [PendingDelivery]] = [:]
        var order: [GroupRef] = []
        let closed = await unbroken(due, tenant: tenant, store: store)
        for delivery in await paced(closed, tenant: tenant, store: store) {
            let lane = delivery.notification.groupRef
            if lanes[lane] == nil { order.append(lane) }
            lanes[lane, default: []].append(delivery)
        }
        await withTaskGroup(of: Void.self) { group in
            for (index, lane) in order.enumerated() {
                if index >= concurrency { await group.next() }
                let deliveries = lanes[lane] ?? []
                group.addTask { await self.deliver(deliveries, tenant: tenant, store: store) }
            }
        }
        do {
            return try await store.nextDelivery()
        } catch {
            logger.error("reading the next delivery failed", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            return Date().addingTimeInterval(1)
        }
    }

    /// The deliveries whose receiver's circuit lets them go: all while it is closed, one trial
    /// when its cool-down is over. The others are held until the circuit may let one through,
    /// with an attempt recorded as a retry without a request ("held: …"), or dead-lettered
    /// when the hold would outlast the tenant's `giveUpAfter`.
    private func unbroken(_ due: [PendingDelivery], tenant: TenantConfig, store: any Outbox) async -> [PendingDelivery] {
        let now = Date()
        var admissions: [ReceiverName: ReceiverBreaker.Admission] = [:]
        var admitted: [PendingDelivery] = []
        for delivery in due {
            let receiver = delivery.notification.receiver
            let admission: ReceiverBreaker.Admission
            switch admissions[receiver] {
            case nil:
                admission = breaker.admit(tenant: tenant.id, receiver: receiver, at: now)
                admissions[receiver] = admission == .trial ? .hold(until: now.addingTimeInterval(1)) : admission
            case .some(let known):
                admission = known
            }
            guard case .hold(let until) = admission else {
                admitted.append(delivery)
                continue
            }
            let reason = "the circuit of \(receiver) is open after failures in a row"
            let givesUp = until.timeIntervalSince(delivery.firstAttemptAt ?? now) >= tenant.delivery.giveUpAfter
            let held =
                givesUp
                ? DeliveryAttempt(at: now, httpStatus: nil, error: "gave up: \(reason)", outcome: .dead)
                : DeliveryAttempt(at: now, httpStatus: nil, error: reason, outcome: .held)
            do {
                try await store.recordAttempt(delivery: delivery.id, held, nextAttemptAt: givesUp ? nil : until)
                metrics.recordNotification(sink: tenant.receivers[receiver]?.kind ?? "unconfigured", outcome: held.outcome)
            } catch {
                logger.error("recording a hold failed", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            }
        }
        return admitted
    }

    /// The deliveries each receiver's pace (`quotas.notificationsPerMinute`) admits now. The
    /// others are put off, each to its own later slot, with a `delayed` attempt (no request
    /// was made), so the delay shows in the delivery log and in
    /// `alertd_notifications_total{outcome="delayed"}`; nothing is dropped.
    private func paced(_ due: [PendingDelivery], tenant: TenantConfig, store: any Outbox) async -> [PendingDelivery] {
        let perMinute = tenant.quotas.notificationsPerMinute
        let now = Date()
        var admitted: [PendingDelivery] = []
        var delayedPerReceiver: [ReceiverName: Int] = [:]
        for delivery in due {
            let receiver = delivery.notification.receiver
            guard let wait = pacer.admit(tenant: tenant.id, receiver: receiver, perMinute: perMinute, at: now) else {
                admitted.append(delivery)
                continue
            }
            let position = delayedPerReceiver[receiver, default: 0]
            delayedPerReceiver[receiver] = position + 1
            let slot = now.addingTimeInterval(wait + Double(position) * 60 / Double(perMinute))
            let delayed = DeliveryAttempt(
                at: now, httpStatus: nil, error: "\(receiver) is paced at \(perMinute) notifications per minute", outcome: .delayed)
            do {
                try await store.recordAttempt(delivery: delivery.id, delayed, nextAttemptAt: slot)
                metrics.recordNotification(sink: tenant.receivers[receiver]?.kind ?? "unconfigured", outcome: .delayed)
            } catch {
                logger.error("recording a delay failed", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            }
        }
        return admitted
    }

    /// Delivers one lane in order; stops at the first attempt it cannot record. Once alertd
    /// is shutting down, the lane's remaining notifications are handed back due now, with a
    /// `held` attempt, so a store shared by replicas does not keep them claimed for the next
    /// process to wait out.
    private func deliver(_ lane: [PendingDelivery], tenant: TenantConfig, store: any Outbox) async {
        for delivery in lane {
            if Task.isShuttingDownGracefully {
                let now = Date()
                let held = DeliveryAttempt(at: now, httpStatus: nil, error: "alertd was shutting down", outcome: .held)
                do {
                    try await store.recordAttempt(delivery: delivery.id, held, nextAttemptAt: now)
                } catch {
                    logger.error("handing back a claimed delivery failed", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
                    return
                }
                continue
            }
            let (attempt, next) = await attempt(delivery, tenant: tenant)
            do {
                try await store.recordAttempt(delivery: delivery.id, attempt, nextAttemptAt: next)
            } catch {
                logger.error("recording a delivery attempt failed", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
                return
            }
            metrics.recordNotification(
                sink: tenant.receivers[delivery.notification.receiver]?.kind ?? "unconfigured", outcome: attempt.outcome)
            if breaker.record(tenant: tenant.id, receiver: delivery.notification.receiver, failed: attempt.outcome == .retry) {
                logger.warning(
                    "circuit opened", metadata: ["tenant": "\(tenant.id)", "receiver": "\(delivery.notification.receiver)"])
            }
            logger.log(
                level: attempt.outcome == .delivered ? .debug : .warning, "delivery \(attempt.outcome.rawValue)",
                metadata: [
                    "tenant": "\(tenant.id)", "receiver": "\(delivery.notification.receiver)",
                    "group": "\(delivery.notification.group.key)", "error": "\(attempt.error ?? "")",
                ])
            if attempt.outcome == .retry { return }
        }
    }

    /// Sends once and decides what happens next.
    func attempt(_ delivery: PendingDelivery, tenant: TenantConfig) async -> (DeliveryAttempt, Date?) {
        let notification = delivery.notification
        guard let receiver = tenant.receivers[notification.receiver] else {
            let error = "receiver \"\(notification.receiver)\" is no longer configured"
            return (DeliveryAttempt(at: Date(), httpStatus: nil, error: error, outcome: .dead), nil)
        }
        let sent: Result<Int, DeliveryFailure> = await withSpan(
            "notification.deliver", context: TraceParent.context(notification.traceparent), ofKind: .client
        ) { span in
            span.attributes["alertd.tenant"] = tenant.id.rawValue
            span.attributes["alertd.receiver"] = notification.receiver.rawValue
            span.attributes["alertd.sink"] = receiver.kind
            do throws(DeliveryFailure) {
                return .success(try await sender.send(notification, to: receiver, from: delivery.partsDelivered))
            } catch {
                span.recordError(error)
                return .failure(error)
            }
        }
        switch sent {
        case .success(let status):
            return (DeliveryAttempt(at: Date(), httpStatus: status, error: nil, outcome: .delivered), nil)
        case .failure(let error):
            let now = Date()
            let elapsed = now.timeIntervalSince(delivery.firstAttemptAt ?? now)
            let backoff = tenant.delivery.backoff(
                afterAttempt: delivery.attempts + 1, retryAfter: error.retryAfter, jitter: Double.random(in: 0...1))
            guard error.retryable, elapsed + backoff < tenant.delivery.giveUpAfter else {
                return (
                    DeliveryAttempt(at: now, httpStatus: error.httpStatus, error: error.message, outcome: .dead, partsDelivered: error.partsDelivered),
                    nil
                )
            }
            return (
                DeliveryAttempt(at: now, httpStatus: error.httpStatus, error: error.message, outcome: .retry, partsDelivered: error.partsDelivered),
                now.addingTimeInterval(backoff)
            )
        }
    }
}
