import Foundation

/// A message owed to one receiver about one alert event. Its `key` makes it unique: routing
/// the same event twice, or the same firing episode again, never notifies twice.
public struct AlertNotification: Sendable, Codable, Equatable {
    /// `receiver|fingerprint|status|episode start`.
    public var key: String
    public var tenant: TenantID
    public var receiver: String
    public var eventID: Int64
    public var fingerprint: Fingerprint
    public var alert: Alert
    public var status: AlertStatus
    public var rating: Rating
    /// The W3C trace context of the event, sent on to the sink.
    public var traceparent: String?

    public init(receiver: String, event: AlertEvent) {
        self.key = [
            receiver, event.fingerprint.rawValue, event.status.rawValue,
            String(Int64((event.alert.startsAt.timeIntervalSince1970 * 1000).rounded())),
        ].joined(separator: "|")
        self.tenant = event.tenant
        self.receiver = receiver
        self.eventID = event.id
        self.fingerprint = event.fingerprint
        self.alert = event.alert
        self.status = event.status
        self.rating = event.rating
        self.traceparent = event.traceparent
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

    public init(id: Int64, notification: AlertNotification, attempts: Int, firstAttemptAt: Date?) {
        self.id = id
        self.notification = notification
        self.attempts = attempts
        self.firstAttemptAt = firstAttemptAt
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

    public enum Outcome: String, Sendable, Codable {
        case delivered
        case retry
        case dead
    }

    public init(at: Date, httpStatus: Int?, error: String?, outcome: Outcome) {
        self.at = at
        self.httpStatus = httpStatus
        self.error = error
        self.outcome = outcome
    }
}

/// A notification and everything that happened to it.
public struct DeliveryRecord: Sendable, Codable, Equatable {
    public var receiver: String
    public var status: AlertStatus
    public var state: DeliveryState
    public var nextAttemptAt: Date?
    public var attempts: [DeliveryAttempt]

    public init(receiver: String, status: AlertStatus, state: DeliveryState, nextAttemptAt: Date?, attempts: [DeliveryAttempt]) {
        self.receiver = receiver
        self.status = status
        self.state = state
        self.nextAttemptAt = nextAttemptAt
        self.attempts = attempts
    }
}
