import AlertCore
import Foundation
import Logging
import Observability
import ServiceLifecycle
import Tracing

/// Puts alert events into aggregation groups: walks the tenant's route tree and records, for
/// each route the alert ends in, its membership in that route's group for the route's
/// receiver. The `GroupFlusher` turns groups into notifications. Events come from the bus; a
/// sweep of every tenant's ledger at start and every `recheck`, and of the tenants whose events
/// the bus did not carry (a full queue) or whose routing failed every `sweepInterval`, picks up
/// the rest (a crash before routing included).
public struct AlertDispatcher: Service {
    let bus: InProcessAlertBus
    let catalog: TenantCatalog
    let stores: any TenantStoreProvider
    let sweepInterval: Duration
    let recheck: Duration
    let groups: WorkSchedule?
    let logger: Logger

    /// `groups` is told of every tenant whose groups routing changed.
    public init(
        bus: InProcessAlertBus, catalog: TenantCatalog, stores: any TenantStoreProvider, sweepInterval: Duration = .seconds(5),
        recheck: Duration = .seconds(600), groups: WorkSchedule? = nil, logger: Logger
    ) {
        self.bus = bus
        self.catalog = catalog
        self.stores = stores
        self.sweepInterval = sweepInterval
        self.recheck = recheck
        self.groups = groups
        self.logger = logger
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    let events = (try? await cancelWhenGracefulShutdown { await bus.take(upTo: Self.eventsAtOnce) }) ?? []
                    await self.dispatch(events)
                }
            }
            group.addTask {
                await self.sweep()
                var lastFullSweep = ContinuousClock.now
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: sweepInterval) }
                    if ContinuousClock.now - lastFullSweep >= recheck {
                        await self.sweep()
                        lastFullSweep = .now
                    } else {
                        await self.sweep(bus.takeLeftInLedger())
                    }
                }
            }
        }
    }

    /// Routes every unrouted event of every tenant.
    public func sweep() async {
        await sweep(Set(catalog.all.map(\.id)))
    }

    /// Routes every unrouted event of `tenants`.
    func sweep(_ tenants: Set<TenantID>) async {
        for tenant in catalog.all where tenants.contains(tenant.id) {
            do {
                let store: any AlertLedger & GroupStore = try await stores.store(for: tenant.id)
                while true {
                    let events = try await store.unroutedEvents(limit: 200)
                    try await route(events, store: store)
                    if events.count < 200 { break }
                }
            } catch {
                bus.leave(tenant.id)
                logger.error("ledger sweep failed", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            }
        }
    }

    /// How many events the dispatcher takes from the bus at a time.
    static var eventsAtOnce: Int { 500 }

    /// Routes events taken from the bus: each tenant's in one write, the tenants side by side.
    func dispatch(_ events: [AlertEvent]) async {
        await withTaskGroup(of: Void.self) { group in
            for (tenant, events) in Dictionary(grouping: events, by: \.tenant) {
                group.addTask {
                    do {
                        try await self.route(events, store: try await self.stores.store(for: tenant))
                    } catch {
                        self.bus.leave(tenant)
                        self.logger.error(
                            "routing failed; the next sweep retries",
                            metadata: ["tenant": "\(tenant)", "events": "\(events.count)", "error": "\(error)"])
                    }
                }
            }
        }
    }

    /// The groups `event`'s alert joins under `config`; a receiver without a sink gets none.
    public func memberships(for event: AlertEvent, config: TenantConfig) -> [GroupMembership] {
        config.route.memberships(labels: event.alert.labels, rating: event.rating, fingerprint: event.fingerprint)
            .filter { config.receivers[$0.receiver]?.discards != true }
    }

    /// Routes recorded events of one tenant into its `store` in one write: each event's groups
    /// are chosen in its own `alert.route` span, then written together.
    public func route(_ events: [AlertEvent], store: any GroupStore) async throws {
        let routings = events.compactMap { event in
            withSpan("alert.route", context: ServiceContext.current ?? TraceParent.context(event.traceparent)) { span in
                span.attributes["alertd.tenant"] = event.tenant.rawValue
                return routing(of: event)
            }
        }
        guard !routings.isEmpty else { return }
        try await store.route(routings, at: Date())
        announce(routings, of: store.tenant)
    }

    /// The groups `event`'s alert joins and the trace they continue (the current span's);
    /// nil for an event of a tenant no longer loaded.
    private func routing(of event: AlertEvent) -> EventRouting? {
        guard let config = catalog[event.tenant] else {
            logger.warning("event of an unknown tenant left unrouted", metadata: ["tenant": "\(event.tenant)"])
            return nil
        }
        return EventRouting(
            event: event.id, memberships: memberships(for: event, config: config),
            traceparent: TraceParent.current(orCarried: event.traceparent))
    }

    private func announce(_ routings: [EventRouting], of tenant: TenantID) {
        if routings.contains(where: { !$0.memberships.isEmpty }) { groups?.announce(tenant) }
        for routing in routings {
            logger.debug(
                "routed",
                metadata: [
                    "tenant": "\(tenant)", "event": "\(routing.event)",
                    "groups": "\(routing.memberships.map { "\($0.receiver) \($0.group.key)" })",
                ])
        }
    }
}
