import Foundation

/// What a receiver was last told about a group: the alerts that fired and the ones that had
/// resolved, and when. Alertmanager's notification log, kept in the tenant's store.
public struct NotificationLogEntry: Sendable, Codable, Equatable {
    public var firing: Set<Fingerprint>
    public var resolved: Set<Fingerprint>
    public var sentAt: Date

    public init(firing: Set<Fingerprint>, resolved: Set<Fingerprint>, sentAt: Date) {
        self.firing = firing
        self.resolved = resolved
        self.sentAt = sentAt
    }
}

/// A receiver's aggregation group as the store holds it when it is due.
public struct AlertGroupState: Sendable, Equatable {
    public var receiver: ReceiverName
    public var group: AlertGroupKey
    public var timing: GroupTiming
    /// The group's alerts in their current state.
    public var members: [AlertRecord]
    public var log: NotificationLogEntry?
    /// The trace context of the latest event that joined the group.
    public var traceparent: String?
    /// How many events the group had taken when it was read; one that comes while the group
    /// is flushed makes the flush look again one `group_interval` later.
    public var version: Int

    public var ref: GroupRef { GroupRef(receiver: receiver, key: group.key) }

    public init(
        receiver: ReceiverName, group: AlertGroupKey, timing: GroupTiming, members: [AlertRecord], log: NotificationLogEntry?,
        traceparent: String?, version: Int = 0
    ) {
        self.receiver = receiver
        self.group = group
        self.timing = timing
        self.members = members
        self.log = log
        self.traceparent = traceparent
        self.version = version
    }

    /// What flushing the group at `now` does, with Alertmanager's dedup rules: notify when an
    /// alert fires that the receiver was not told about, when every alert it was told about
    /// resolved, when alerts resolved and the receiver wants resolved alerts, or when the
    /// repeat interval has passed; otherwise stay silent. Muted alerts (silenced or inhibited)
    /// count as not firing. Resolved alerts leave the group after every flush.
    public func flush(tenant: TenantID, at now: Date, sendsResolved: Bool, muted: Set<Fingerprint>) -> GroupFlush {
        let firing = members.filter { $0.status == .firing && !muted.contains($0.fingerprint) }
        let resolved = members.filter { $0.status == .resolved }
        let firingSet = Set(firing.map(\.fingerprint))
        let resolvedSet = Set(resolved.map(\.fingerprint))
        let mutes = members.contains { muted.contains($0.fingerprint) }
        var flush = GroupFlush(
            receiver: receiver, group: group, notification: nil, log: nil, leaving: Array(resolvedSet),
            nextFlushAt: nextLook(after: now, sentAt: log?.sentAt, mutes: mutes), version: version,
            nextFlushIfChanged: now.addingTimeInterval(timing.interval))
        guard needsUpdate(firing: firingSet, resolved: resolvedSet, sendsResolved: sendsResolved, at: now) else { return flush }
        flush.log = NotificationLogEntry(firing: firingSet, resolved: resolvedSet, sentAt: now)
        flush.nextFlushAt = nextLook(after: now, sentAt: now, mutes: mutes)
        let told = (firing + (sendsResolved ? resolved : [])).map(NotifiedAlert.init)
        if !told.isEmpty {
            flush.notification = AlertNotification(
                tenant: tenant, receiver: receiver, group: group, alerts: told, flushedAt: now, traceparent: traceparent)
        }
        return flush
    }

    /// When the group must be looked at again without any new event: at the next
    /// `group_interval` while a silence or inhibition mutes some of its alerts (their end
    /// routes no event), otherwise when the repeat interval will have passed. Routing an event
    /// into the group brings the look forward to one `group_interval` after this flush.
    private func nextLook(after now: Date, sentAt: Date?, mutes: Bool) -> Date {
        let interval = now.addingTimeInterval(timing.interval)
        guard !mutes, let sentAt else { return interval }
        return max(interval, sentAt.addingTimeInterval(timing.repeatInterval))
    }

    private func needsUpdate(firing: Set<Fingerprint>, resolved: Set<Fingerprint>, sendsResolved: Bool, at now: Date) -> Bool {
        guard let log else { return !firing.isEmpty }
        if !firing.isSubset(of: log.firing) { return true }
        if firing.isEmpty { return !log.firing.isEmpty }
        if sendsResolved, !resolved.isSubset(of: log.resolved) { return true }
        return log.sentAt <= now.addingTimeInterval(-timing.repeatInterval)
    }
}

/// The outcome of flushing a group, which the store applies in one transaction.
public struct GroupFlush: Sendable, Equatable {
    public var receiver: ReceiverName
    public var group: AlertGroupKey
    /// The notification to put in the outbox, if the receiver is told anything.
    public var notification: AlertNotification?
    /// The new notification log entry; nil leaves it as it was.
    public var log: NotificationLogEntry?
    /// Resolved alerts that leave the group (unless they fired again meanwhile).
    public var leaving: [Fingerprint]
    /// When the group is looked at again unless an event comes first; a group without
    /// members is removed instead.
    public var nextFlushAt: Date
    /// The group's `version` when it was read.
    public var version: Int
    /// The look at the latest when an event joined the group after it was read: one
    /// `group_interval` after this flush.
    public var nextFlushIfChanged: Date
}
