import Foundation

/// What an arriving alert needs of the stored one: its row without the alert and the rating,
/// but with the alert's start and the rating's priority. A store can read it without decoding
/// either document.
public struct StoredAlertHead: Sendable, Equatable {
    public var status: AlertStatus
    public var startsAt: Date
    public var priority: Priority
    public var firstSeenAt: Date
    public var lastSeenAt: Date
    public var occurrences: Int
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    public var feedback: FeedbackKind?
    public var feedbackAt: Date?

    public init(
        status: AlertStatus, startsAt: Date, priority: Priority, firstSeenAt: Date, lastSeenAt: Date, occurrences: Int,
        acknowledgedAt: Date? = nil, acknowledgedBy: String? = nil, feedback: FeedbackKind? = nil, feedbackAt: Date? = nil
    ) {
        self.status = status
        self.startsAt = startsAt
        self.priority = priority
        self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt
        self.occurrences = occurrences
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.feedback = feedback
        self.feedbackAt = feedbackAt
    }

    /// Whether changing to `next` ends a firing episode that nobody acknowledged: a missed
    /// response for the alert's group.
    public func missesResponse(becoming next: AlertRecord) -> Bool {
        status == .firing && next.status == .resolved && acknowledgedAt == nil
    }
}

extension AlertRecord {
    /// The record's head.
    public var head: StoredAlertHead {
        StoredAlertHead(
            status: status, startsAt: alert.startsAt, priority: rating.priority, firstSeenAt: firstSeenAt, lastSeenAt: lastSeenAt,
            occurrences: occurrences, acknowledgedAt: acknowledgedAt, acknowledgedBy: acknowledgedBy, feedback: feedback,
            feedbackAt: feedbackAt)
    }
}
