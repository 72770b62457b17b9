import Foundation

extension AlertRecord {
    /// The record acknowledged by `subject` at `now`, and the response time the
    /// acknowledgement counts with in its group's history: measured from when alertd first
    /// notified a receiver about the alert in its current episode (`firstNotifiedAt`), else from
    /// when alertd received it (`firstSeenAt`), never from the producer's `startsAt`. The
    /// response time is nil when the alert is resolved: the acknowledgement is kept on the
    /// alert but is no response. Nil altogether when the alert is acknowledged already.
    public func acknowledged(by subject: String, at now: Date, firstNotifiedAt: Date?) -> (record: AlertRecord, latency: TimeInterval?)? {
        guard acknowledgedAt == nil else { return nil }
        var record = self
        record.acknowledgedAt = now
        record.acknowledgedBy = subject
        guard status == .firing else { return (record, nil) }
        return (record, max(0, now.timeIntervalSince(max(firstSeenAt, firstNotifiedAt ?? firstSeenAt))))
    }

    /// Whether changing to `next` ends a firing episode that nobody acknowledged: a missed
    /// response for the alert's group.
    public func missesResponse(becoming next: AlertRecord) -> Bool {
        head.missesResponse(becoming: next)
    }

    /// The record with the operator's feedback `kind` given at `now`, and what it replaces.
    /// Feedback the alert already has changes nothing.
    public func withFeedback(_ kind: FeedbackKind, at now: Date) -> FeedbackChange {
        guard feedback != kind else { return FeedbackChange(record: self, previous: feedback, previousAt: feedbackAt) }
        var record = self
        record.feedback = kind
        record.feedbackAt = now
        return FeedbackChange(record: record, previous: feedback, previousAt: feedbackAt)
    }
}

/// Feedback on an alert, and the earlier feedback it replaced.
public struct FeedbackChange: Sendable, Equatable {
    public var record: AlertRecord
    /// The feedback that was replaced, nil for the alert's first.
    public var previous: FeedbackKind?
    /// When the replaced feedback was given.
    public var previousAt: Date?

    public init(record: AlertRecord, previous: FeedbackKind?, previousAt: Date?) {
        self.record = record
        self.previous = previous
        self.previousAt = previousAt
    }

    /// Whether the feedback differs from what the alert had, so the source's counts move.
    public var changesFeedback: Bool { previous != record.feedback }

    /// The source's counts with this change applied at `now`: the replaced feedback taken
    /// back, the new one added.
    public func applied(to stats: SourceReliability, at now: Date, halfLife: TimeInterval) -> SourceReliability {
        guard changesFeedback, let kind = record.feedback else { return stats }
        var next = stats
        if let previous {
            next = next.withdrawing(previous, givenAt: previousAt ?? now, at: now, halfLife: halfLife)
        }
        return next.recording(kind, at: now, halfLife: halfLife)
    }
}
