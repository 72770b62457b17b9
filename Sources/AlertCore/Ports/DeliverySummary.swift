import Foundation

/// One notification in the outbox, as the dead-letter listing shows it.
public struct DeliverySummary: Sendable, Codable, Equatable {
    /// The store's id; replay takes it.
    public var id: Int64
    public var receiver: ReceiverName
    /// The alert the notification leads with.
    public var fingerprint: Fingerprint
    public var alertName: String
    public var group: String
    public var alertCount: Int
    public var status: AlertStatus
    public var state: DeliveryState
    public var attempts: Int
    public var createdAt: Date
    public var nextAttemptAt: Date?
    /// The error of the latest failed attempt.
    public var lastError: String?

    public init(
        id: Int64, notification: AlertNotification, state: DeliveryState, attempts: Int, createdAt: Date, nextAttemptAt: Date?,
        lastError: String?
    ) {
        self.id = id
        self.receiver = notification.receiver
        self.fingerprint = notification.lead.fingerprint
        self.alertName = notification.lead.alert.name
        self.group = notification.group.key
        self.alertCount = notification.alerts.count
        self.status = notification.status
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
    }
}
