/// Where routing put one ledger event: the aggregation groups its alert joins (none when no
/// route takes it), and the trace the groups' notifications continue.
public struct EventRouting: Sendable, Equatable {
    public var event: Int64
    public var memberships: [GroupMembership]
    public var traceparent: String?

    public init(event: Int64, memberships: [GroupMembership], traceparent: String?) {
        self.event = event
        self.memberships = memberships
        self.traceparent = traceparent
    }
}
