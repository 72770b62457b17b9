import AlertCore
import Foundation
import Logging
import ServiceLifecycle

/// Flushes due aggregation groups into notifications, with Alertmanager's timing: a new group
/// waits `group_wait`, then the group is looked at every `group_interval`; the notification
/// log decides whether the receiver hears anything (new firing alerts, resolved ones when it
/// wants them, or the `repeat_interval` passing). Alerts an active silence or an inhibition
/// rule mutes at flush time count as not firing.
///
/// A tenant is looked at when one of its groups is due (`schedule`, announced by routing) and
/// at least every `recheck`; an idle tenant costs nothing in between.
public struct GroupFlusher: Service {
    let catalog: TenantCatalog
    let stores: any TenantStoreProvider
    let schedule: WorkSchedule
    let deliveries: WorkSchedule?
    let recheck: Duration
    let logger: Logger

    /// `schedule` says when tenants have groups due (at most one pass per tenant per its
    /// spacing); `deliveries` is told of the notifications a flush adds.
    public init(
        catalog: TenantCatalog, stores: any TenantStoreProvider,
        schedule: WorkSchedule = WorkSchedule(spacing: .milliseconds(200)), deliveries: WorkSchedule? = nil,
        recheck: Duration = .seconds(30), logger: Logger
    ) {
        self.catalog = catalog
        self.stores = stores
        self.schedule = schedule
        self.deliveries = deliveries
        self.recheck = recheck
        self.logger = logger
    }

    public func run() async throws {
        await schedule.serve(catalog, recheck: recheck) { await self.flushDue(for: $0) }
    }

    /// One pass over every tenant's due groups.
    public func flushDue() async {
        await catalog.forEachTenant { _ = await self.flushDue(for: $0) }
    }

    /// Flushes the tenant's due groups; returns when its next group is due (nil: no group
    /// left), or a second from now when the store failed.
    private func flushDue(for tenant: TenantConfig) async -> Date? {
        do {
            let store: any GroupStore & SilenceStore & AlertLedger = try await stores.store(for: tenant.id)
            while true {
                let now = Date()
                let due = try await store.dueGroups(at: now, limit: 100)
                guard !due.isEmpty else { return try await store.nextGroupFlush() }
                var mutes = Mutes(tenant: tenant, store: store, now: now)
                var flushes: [GroupFlush] = []
                for state in due {
                    let muted = try await mutes.muted(state.members)
                    let sendsResolved = tenant.receivers[state.receiver]?.sendsResolved ?? true
                    flushes.append(state.flush(tenant: tenant.id, at: now, sendsResolved: sendsResolved, muted: muted))
                }
                try await store.apply(flushes, at: now)
                if flushes.contains(where: { $0.notification != nil }) { deliveries?.announce(tenant.id) }
                for flush in flushes {
                    guard let notification = flush.notification else { continue }
                    logger.debug(
                        "group flushed",
                        metadata: [
                            "tenant": "\(tenant.id)", "receiver": "\(flush.receiver)", "group": "\(flush.group.key)",
                            "alerts": "\(notification.alerts.count)",
                        ])
                }
                if due.count < 100 { return try await store.nextGroupFlush() }
            }
        } catch {
            logger.error("flushing groups failed; the next pass retries", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            return Date().addingTimeInterval(1)
        }
    }
}

/// Which of a tenant's alerts silences and inhibition rules mute at one moment. Silences and
/// firing alerts are read once per pass, and firing alerts only when some rule could apply.
struct Mutes {
    let tenant: TenantConfig
    let store: any SilenceStore & AlertLedger
    let now: Date
    private var silences: [Silence]?
    private var firing: [AlertRecord]?

    init(tenant: TenantConfig, store: any SilenceStore & AlertLedger, now: Date) {
        self.tenant = tenant
        self.store = store
        self.now = now
    }

    mutating func muted(_ alerts: [AlertRecord]) async throws -> Set<Fingerprint> {
        var muted = Set<Fingerprint>()
        for alert in alerts where alert.status == .firing {
            if try await silenced(alert) {
                muted.insert(alert.fingerprint)
            } else if try await inhibited(alert) {
                muted.insert(alert.fingerprint)
            }
        }
        return muted
    }

    private mutating func silenced(_ alert: AlertRecord) async throws -> Bool {
        if silences == nil { silences = try await store.silences(endingAfter: now) }
        return silences!.contains { $0.mutes(labels: alert.alert.labels, rating: alert.rating, at: now) }
    }

    private mutating func inhibited(_ alert: AlertRecord) async throws -> Bool {
        let rules = tenant.inhibitRules.filter { $0.targetMatchers.matchAll(labels: alert.alert.labels, rating: alert.rating) }
        guard !rules.isEmpty else { return false }
        if firing == nil { firing = try await firingAlerts() }
        return rules.contains { $0.mutes(alert.alert, rating: alert.rating, firing: firing!) }
    }

    private func firingAlerts() async throws -> [AlertRecord] {
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
}
