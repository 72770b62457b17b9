import Foundation

/// One tenant's durable state: its alerts, its ledger of alert events, rating statistics and
/// the notification outbox with every delivery attempt. Every method touches this tenant only.
public protocol TenantStore: Sendable {
    var tenant: TenantID { get }

    /// Feedback statistics for `sources` and ack statistics for `groups`.
    func ratingInputs(sources: Set<String>, groups: Set<String>) async throws -> RatingInputs

    /// Stores rated alerts and appends one ledger event per new or changed alert, all in one
    /// transaction: on error nothing is stored. A repeated firing alert updates its row. A
    /// firing alert that resolves unacknowledged counts as a missed response in its group's
    /// history under `policy`.
    func record(_ alerts: [RatedAlert], at now: Date, policy: RatingPolicy) async throws -> [AlertEvent]

    func alert(_ fingerprint: Fingerprint) async throws -> AlertRecord?

    func alerts(_ query: AlertQuery) async throws -> AlertPage

    /// The most recently seen firing alert whose label `name` is `value`.
    func firingAlert(labelled name: String, _ value: String) async throws -> AlertRecord?

    /// How many alerts are firing, and which of `fingerprints` are.
    func firing(among fingerprints: [Fingerprint]) async throws -> FiringAlerts

    /// Marks the alert acknowledged (the first acknowledgement stays). Acknowledging a firing
    /// alert adds its response time to its group's history, measured from the first delivered
    /// notification that named the alert in its current episode, else from when it was
    /// received (`AlertRecord.acknowledged(by:at:firstNotifiedAt:)`); acknowledging a resolved
    /// alert is kept on the alert only.
    func acknowledge(_ fingerprint: Fingerprint, by subject: String, at now: Date, policy: RatingPolicy) async throws -> AlertRecord?

    /// Resolves a firing alert and appends the ledger event that notifies receivers; an
    /// unacknowledged one counts as a missed response in its group's history under `policy`.
    func resolve(_ fingerprint: Fingerprint, at now: Date, policy: RatingPolicy) async throws -> (AlertRecord, AlertEvent?)?

    /// Records the operator's feedback on the alert, replacing earlier feedback, and moves its
    /// source's reliability: a correction takes the earlier count back and adds the new one.
    /// When the learned model already learned from the alert's episode, it is corrected too.
    func feedback(_ fingerprint: Fingerprint, _ kind: FeedbackKind, at now: Date, policy: RatingPolicy) async throws -> FeedbackChange?

    /// The tenant's learned rating model; nil before it learned from any outcome.
    func ratingModel() async throws -> ActionabilityModel?
    /// Teaches the learned model the outcomes of up to `limit` alerts whose episode ended
    /// (resolved, last seen) before `cutoff` and that it has not learned from, in one
    /// transaction; returns how many. A later feedback on such an alert corrects what it taught.
    func learnOutcomes(endedBefore cutoff: Date, at now: Date, policy: RatingPolicy, limit: Int) async throws -> Int
    /// Ledger events the router has not yet turned into notifications, oldest first.
    func unroutedEvents(limit: Int) async throws -> [AlertEvent]

    /// Puts the event's alert into the aggregation groups routing chose and marks the event
    /// routed, in one transaction. A new group is first due after its `group_wait`; a group
    /// flushed before is due one `group_interval` after that flush at the latest. Routing the
    /// same event again adds nothing.
    func route(event id: Int64, memberships: [GroupMembership], traceparent: String?, at now: Date) async throws

    /// Groups due to be flushed at `now`, with their alerts and notification log. A store
    /// shared by several replicas claims them for a while, so another replica does not flush
    /// them too.
    func dueGroups(at now: Date, limit: Int) async throws -> [AlertGroupState]

    /// Applies flushes in one transaction: for each, adds its notification to the outbox (once
    /// per key), writes the notification log, lets resolved alerts leave the group, and
    /// reschedules the group, or removes it when no alert is left.
    func apply(_ flushes: [GroupFlush], at now: Date) async throws

    /// Pending notifications whose next attempt is due at `now`, the oldest pending one of each
    /// receiver and group only, so a group's notifications go out in order. A store shared by
    /// several replicas claims them for a while, so another replica does not deliver them too.
    func dueDeliveries(at now: Date, limit: Int) async throws -> [PendingDelivery]

    /// When the earliest group is due to be flushed (a group another replica claimed counts
    /// from the end of its claim); nil when the tenant has no group.
    func nextGroupFlush() async throws -> Date?

    /// When the earliest pending notification that may go next (the oldest pending one of its
    /// receiver and group) is due; nil when none is pending.
    func nextDelivery() async throws -> Date?

    /// Records an attempt; `nextAttemptAt` schedules a retry when the outcome is `retry`. The
    /// attempt's `partsDelivered`, when set, is kept for the next attempt (it never shrinks).
    func recordAttempt(delivery id: Int64, _ attempt: DeliveryAttempt, nextAttemptAt: Date?) async throws

    /// The notifications that named the alert, with their attempts.
    func deliveries(_ fingerprint: Fingerprint) async throws -> [DeliveryRecord]

    /// Notifications in `state`, newest first.
    func deliveries(in state: DeliveryState, limit: Int) async throws -> [DeliverySummary]

    /// Puts a dead notification back in the queue, due at `now` with a fresh give-up clock;
    /// nil when there is no dead notification with that id.
    func replay(delivery id: Int64, at now: Date) async throws -> DeliverySummary?

    /// Counts of what the store holds at `now`.
    func usage(at now: Date) async throws -> TenantUsage

    /// A value that changes when an alert with `status` arrives, fires again, is re-rated,
    /// acknowledged, given feedback or leaves `status`, or when a silence is created, changed,
    /// or starts or ends by `now`: a live view reads the alerts again only when it changed.
    func changeMark(of status: AlertStatus, at now: Date) async throws -> String

    /// Stores a new silence.
    func createSilence(_ silence: Silence) async throws

    /// Replaces the matchers, times, author and comment of the silence with `silence.id`;
    /// false when there is no such silence.
    func updateSilence(_ silence: Silence) async throws -> Bool
    /// Silences that end after `cutoff` (every silence when nil), latest ending first.
    func silences(endingAfter cutoff: Date?) async throws -> [Silence]

    /// Ends the silence at `now` if it has not ended yet and returns it; nil when there is no
    /// silence with that id.
    func expireSilence(id: String, at now: Date) async throws -> Silence?

    /// Deletes up to `limit` routed ledger events, up to `limit` finished (delivered or dead)
    /// notifications with their attempts, up to `limit` silences that ended, and the notification
    /// log of groups that no longer exist, all older than `cutoff`; returns how many rows went.
    /// Current alert state is kept.
    func prune(before cutoff: Date, limit: Int) async throws -> Int

    /// Throws when the store cannot be reached.
    func ping() async throws
}

/// Opens each tenant's store.
public protocol TenantStoreProvider: Sendable {
    func store(for tenant: TenantID) async throws -> any TenantStore
}

/// Carries recorded events from ingest to the router.
public protocol AlertBus: Sendable {
    /// Hands the events on. The events are already durable in the tenant's ledger, so a bus
    /// that cannot take them must throw rather than block forever.
    func publish(_ events: [AlertEvent]) async throws
}
