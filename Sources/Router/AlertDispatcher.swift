import AlertCore
import Foundation
import Logging
import Observability
import ServiceLifecycle
import Sinks
import Tracing

/// Turns alert events into notifications: walks the tenant's route tree and writes one
/// notification per receiver into the tenant's outbox; an event an active silence or an
/// inhibition rule mutes is marked routed without notifications. Events come from the bus; a sweep of
/// every tenant's ledger at start and on an interval picks up any the bus did not carry
/// (a full queue, a crash before routing).
public struct AlertDispatcher: Service {
    let bus: InProcessAlertBus
    let catalog: TenantCatalog
    let stores: any TenantStoreProvider
    let sender: NotificationSender
    let sweepInterval: Duration
    let logger: Logger

    public init(
        bus: InProcessAlertBus, catalog: TenantCatalog, stores: any TenantStoreProvider, sender: NotificationSender,
        sweepInterval: Duration = .seconds(5), logger: Logger
    ) {
        self.bus = bus
        self.catalog = catalog
        self.stores = stores
        self.sender = sender
        self.sweepInterval = sweepInterval
        self.logger = logger
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in bus.events.cancelOnGracefulShutdown() {
                    await self.dispatch(event)
                }
            }
            group.addTask {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    await self.sweep()
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: sweepInterval) }
                }
            }
        }
    }

    /// Routes every unrouted event of every tenant.
    public func sweep() async {
        for tenant in catalog.all {
            do {
                let store = try await stores.store(for: tenant.id)
                while true {
                    let events = try await store.unroutedEvents(limit: 200)
                    for event in events { try await route(event, store: store) }
                    if events.count < 200 { break }
                }
            } catch {
                logger.error("ledger sweep failed", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            }
        }
    }

    func dispatch(_ event: AlertEvent) async {
        do {
            try await route(event, store: try await stores.store(for: event.tenant))
        } catch {
            logger.error(
                "routing failed; the next sweep retries", metadata: ["tenant": "\(event.tenant)", "event": "\(event.id)", "error": "\(error)"])
        }
    }

    /// The notifications `event` causes under `config`.
    public func notifications(for event: AlertEvent, config: TenantConfig) -> [AlertNotification] {
        config.route.receivers(labels: event.alert.labels, rating: event.rating).compactMap { name in
            guard let receiver = config.receivers[name] else { return nil }
            if event.status == .resolved, !sender.sendsResolved(receiver) { return nil }
            return AlertNotification(receiver: name, event: event)
        }
    }

    /// Every firing alert of the tenant, the possible sources of inhibition.
    private func firingAlerts(_ store: any TenantStore) async throws -> [AlertRecord] {
        var query = AlertQuery()
        query.status = .firing
        query.limit = 500
        var alerts: [AlertRecord] = []
        while true {
            let page = try await store.alerts(query)
            alerts += page.alerts
            guard let next = page.nextOffset else { return alerts }
            query.offset = next
        }
    }

    /// Routes one recorded event into the outbox of its tenant's `store`.
    public func route(_ event: AlertEvent, store: any TenantStore) async throws {
        try await withSpan("alert.route", context: ServiceContext.current ?? TraceParent.context(event.traceparent)) { span in
            span.attributes["alertd.tenant"] = event.tenant.rawValue
            try await routeInSpan(event, store: store)
        }
    }

    private func routeInSpan(_ event: AlertEvent, store: any TenantStore) async throws {
        guard let config = catalog[event.tenant] else {
            logger.warning("event of an unknown tenant left unrouted", metadata: ["tenant": "\(event.tenant)"])
            return
        }
        let now = Date()
        if let silence = try await store.silences(endingAfter: now).first(where: {
            $0.mutes(labels: event.alert.labels, rating: event.rating, at: now)
        }) {
            try await store.route(event: event.id, notifications: [], at: now)
            logger.info(
                "silenced", metadata: ["tenant": "\(event.tenant)", "event": "\(event.id)", "silence": "\(silence.id)"])
            return
        }
        // Only an event some rule could mute pays for reading the tenant's firing alerts.
        let rules = config.inhibitRules.filter { $0.targetMatchers.matchAll(labels: event.alert.labels, rating: event.rating) }
        if !rules.isEmpty {
            let firing = try await firingAlerts(store)
            if rules.contains(where: { $0.mutes(event.alert, rating: event.rating, firing: firing) }) {
                try await store.route(event: event.id, notifications: [], at: now)
                logger.info("inhibited", metadata: ["tenant": "\(event.tenant)", "event": "\(event.id)"])
                return
            }
        }
        let notifications = notifications(for: event, config: config)
        try await store.route(event: event.id, notifications: notifications, at: now)
        logger.debug(
            "routed", metadata: ["tenant": "\(event.tenant)", "event": "\(event.id)", "receivers": "\(notifications.map(\.receiver))"])
    }
}
