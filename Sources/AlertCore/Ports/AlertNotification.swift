import Foundation

/// One alert as a notification carries it.
public struct NotifiedAlert: Sendable, Codable, Equatable {
    public var fingerprint: Fingerprint
    public var alert: Alert
    public var status: AlertStatus
    public var rating: Rating

    public init(fingerprint: Fingerprint, alert: Alert, status: AlertStatus, rating: Rating) {
        self.fingerprint = fingerprint
        self.alert = alert
        self.status = status
        self.rating = rating
    }

    public init(_ record: AlertRecord) {
        self.init(fingerprint: record.fingerprint, alert: record.alert, status: record.status, rating: record.rating)
    }
}

/// A message owed to one receiver about one alert group: every alert of the group that fires,
/// and the ones that resolved since the last message when the receiver wants those. Its `key`
/// makes it unique, so flushing the same group state twice never notifies twice.
public struct AlertNotification: Sendable, Codable, Equatable {
    /// `receiver|group key|flush time in milliseconds`.
    public var key: String
    public var tenant: TenantID
    public var receiver: ReceiverName
    public var group: AlertGroupKey
    /// Firing while any alert of the group fires.
    public var status: AlertStatus
    /// Firing alerts first, highest score first, then resolved ones; never empty.
    public var alerts: [NotifiedAlert]
    /// The W3C trace context of the latest event that changed the group, sent on to the sink.
    public var traceparent: String?

    /// The group the notification is about.
    public var groupRef: GroupRef { GroupRef(receiver: receiver, key: group.key) }

    public init(
        tenant: TenantID, receiver: ReceiverName, group: AlertGroupKey, alerts: [NotifiedAlert], flushedAt: Date, traceparent: String? = nil
    ) {
        precondition(!alerts.isEmpty, "a notification carries at least one alert")
        self.key = [receiver.rawValue, group.key, String(Int64((flushedAt.timeIntervalSince1970 * 1000).rounded()))].joined(separator: "|")
        self.tenant = tenant
        self.receiver = receiver
        self.group = group
        self.alerts = alerts.sorted { lhs, rhs in
            if lhs.status != rhs.status { return lhs.status == .firing }
            if lhs.rating.score != rhs.rating.score { return lhs.rating.score > rhs.rating.score }
            return lhs.fingerprint.rawValue < rhs.fingerprint.rawValue
        }
        self.status = alerts.contains { $0.status == .firing } ? .firing : .resolved
        self.traceparent = traceparent
    }

    /// The alert the message leads with: the highest-scored firing one, else the first resolved.
    public var lead: NotifiedAlert { alerts[0] }

    public var firing: [NotifiedAlert] { alerts.filter { $0.status == .firing } }

    public var resolved: [NotifiedAlert] { alerts.filter { $0.status == .resolved } }

    /// A short stable identity of the group for this receiver, for sinks that deduplicate on a
    /// key of their own (PagerDuty's `dedup_key`, a Jira label, ServiceNow's `correlation_id`):
    /// `alertd-` and 16 hex digits.
    public var groupID: String {
        "alertd-" + Fingerprint(labels: ["tenant": tenant.rawValue, "receiver": receiver.rawValue, "group": group.key]).rawValue
    }
}

/// Where a notification stands.
public enum DeliveryState: String, Sendable, Codable {
    case pending
    case delivered
    /// Given up on after the tenant's `giveUpAfter`; kept for inspection and replay.
    case dead
}

/// A notification waiting in the outbox.
public struct PendingDelivery: Sendable, Equatable {
    /// The store's id of the notification.
    public var id: Int64
    public var notification: AlertNotification
    /// Attempts made so far.
    public var attempts: Int
    public var firstAttemptAt: Date?
    /// How many parts of a notification a sink sends as several requests (Slack's messages)
    /// reached the target already; the next attempt starts after them.
    public var partsDelivered: Int

    public init(id: Int64, notification: AlertNotification, attempts: Int, firstAttemptAt: Date?, partsDelivered: Int = 0) {
        self.id = id
        self.notification = notification
        self.attempts = attempts
        self.firstAttemptAt = firstAttemptAt
        self.partsDelivered = partsDelivered
    }
}

/// One try at delivering a notification.
public struct DeliveryAttempt: Sendable, Codable, Equatable {
    public var at: Date
    /// The sink's HTTP status, when it answered.
    public var httpStatus: Int?
    /// Why it failed, nil when it was delivered.
    public var error: String?
    public var outcome: Outcome
    /// For a failed attempt at a notification sent as several requests: how many of its parts
    /// have reached the target, counted from its first part.
    public var partsDelivered: Int?

    /// What came of the attempt; also the `outcome` label of `alertd_notifications_total`.
    public enum Outcome: String, Sendable, Codable, CaseIterable {
        /// The sink took it.
        case delivered
        /// It failed in a way that may pass; tried again after a backoff.
        case retry
        /// It failed for good, or kept failing past the tenant's `giveUpAfter`.
        case dead
        /// Not sent: the receiver's circuit is open (or alertd was shutting down); tried again
        /// when it may be.
        case held
        /// Not sent: the receiver's pace admits no more now; tried again at its next slot.
        case delayed
    }

    public init(at: Date, httpStatus: Int?, error: String?, outcome: Outcome, partsDelivered: Int? = nil) {
        self.at = at
        self.httpStatus = httpStatus
        self.error = error
        self.outcome = outcome
        self.partsDelivered = partsDelivered
    }
}

/// A notification that named an alert, and everything that happened to it.
public struct DeliveryRecord: Sendable, Codable, Equatable {
    public var receiver: ReceiverName
    /// The alert's status in that notification.
    public var status: AlertStatus
    public var group: String
    public var state: DeliveryState
    public var nextAttemptAt: Date?
    public var attempts: [DeliveryAttempt]

    public init(
        receiver: ReceiverName, status: AlertStatus, group: String, state: DeliveryState, nextAttemptAt: Date?, attempts: [DeliveryAttempt]
    ) {
        self.receiver = receiver
        self.status = status
        self.group = group
        self.state = state
        self.nextAttemptAt = nextAttemptAt
        self.attempts = attempts
    }
}
