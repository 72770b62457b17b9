import Foundation

/// How long a group waits before its first notification, between notifications about
/// changes, and before repeating an unchanged one.
public struct GroupTiming: Sendable, Codable, Equatable {
    public var wait: TimeInterval
    public var interval: TimeInterval
    public var repeatInterval: TimeInterval

    public init(wait: TimeInterval, interval: TimeInterval, repeatInterval: TimeInterval) {
        self.wait = wait
        self.interval = interval
        self.repeatInterval = repeatInterval
    }

    public init(_ route: Route) {
        self.init(wait: route.groupWait, interval: route.groupInterval, repeatInterval: route.repeatInterval)
    }
}

/// An alert's place in one receiver's aggregation group, as routing decides it.
public struct GroupMembership: Sendable, Equatable {
    public var receiver: ReceiverName
    public var group: AlertGroupKey
    public var timing: GroupTiming
    public var fingerprint: Fingerprint

    public init(receiver: ReceiverName, group: AlertGroupKey, timing: GroupTiming, fingerprint: Fingerprint) {
        self.receiver = receiver
        self.group = group
        self.timing = timing
        self.fingerprint = fingerprint
    }
}

extension Route {
    /// The groups an alert joins: one per matching route, the first route winning when two
    /// send the same group to the same receiver.
    public func memberships(labels: [String: String], rating: Rating?, fingerprint: Fingerprint) -> [GroupMembership] {
        var seen = Set<GroupRef>()
        return match(labels: labels, rating: rating).compactMap { route in
            let group = AlertGroupKey(route: route, alertLabels: labels)
            guard seen.insert(GroupRef(receiver: route.receiver, key: group.key)).inserted else { return nil }
            return GroupMembership(receiver: route.receiver, group: group, timing: GroupTiming(route), fingerprint: fingerprint)
        }
    }
}
