import Foundation

/// A tenant's aggregation groups: routed alerts wait in them for their flush, which writes the
/// group's notification into the outbox.
public protocol GroupStore: Sendable {
    var tenant: TenantID { get }

    /// Puts each event's alert into the aggregation groups routing chose and marks the events
    /// routed, all in one transaction. A new group is first due after its `group_wait`; a
    /// group flushed before is due one `group_interval` after that flush at the latest.
    /// Routing the same event again adds nothing.
    func route(_ routings: [EventRouting], at now: Date) async throws

    /// Groups due to be flushed at `now`, with their alerts and notification log. A store
    /// shared by several replicas claims them for a while, so another replica does not flush
    /// them too.
    func dueGroups(at now: Date, limit: Int) async throws -> [AlertGroupState]

    /// Applies flushes in one transaction: for each, adds its notification to the outbox (once
    /// per key), writes the notification log, lets resolved alerts leave the group, and
    /// reschedules the group, or removes it when no alert is left.
    func apply(_ flushes: [GroupFlush], at now: Date) async throws

    /// When the earliest group is due to be flushed (a group another replica claimed counts
    /// from the end of its claim); nil when the tenant has no group.
    func nextGroupFlush() async throws -> Date?
}

extension GroupStore {
    /// Routes one event: `route(_:at:)` with its routing alone.
    public func route(event id: Int64, memberships: [GroupMembership], traceparent: String?, at now: Date) async throws {
        try await route([EventRouting(event: id, memberships: memberships, traceparent: traceparent)], at: now)
    }
}
