import Foundation

extension AlertRecord {
    /// What becomes of the stored alert when `rated` arrives at `now`, given the stored head
    /// (nil for a new fingerprint). Receivers must hear of a new firing alert, a status change
    /// or a new priority. A repeated firing alert updates its record and keeps its episode
    /// start and its acknowledgement and feedback; firing again after a resolve starts a new
    /// episode; a resolved alert reported resolved again is only seen.
    public static func arrival(of rated: RatedAlert, over head: StoredAlertHead?, at now: Date) -> Arrival {
        let fingerprint = rated.alert.fingerprint
        guard let head else {
            let record = AlertRecord(
                fingerprint: fingerprint, alert: rated.alert, status: rated.status, rating: rated.rating, firstSeenAt: now,
                lastSeenAt: now, occurrences: 1)
            return .stored(record, notify: rated.status == .firing)
        }
        switch (head.status, rated.status) {
        case (.resolved, .resolved):
            return .seen(at: now)
        case (.resolved, .firing):
            var alert = rated.alert
            if alert.startsAt <= head.lastSeenAt { alert.startsAt = now }
            let record = AlertRecord(
                fingerprint: fingerprint, alert: alert, status: .firing, rating: rated.rating, firstSeenAt: now, lastSeenAt: now,
                occurrences: 1)
            return .stored(record, notify: true)
        case (.firing, let status):
            var alert = rated.alert
            alert.startsAt = head.startsAt
            let record = AlertRecord(
                fingerprint: fingerprint, alert: alert, status: status, rating: rated.rating, firstSeenAt: head.firstSeenAt,
                lastSeenAt: now, occurrences: head.occurrences + (status == .firing ? 1 : 0), acknowledgedAt: head.acknowledgedAt,
                acknowledgedBy: head.acknowledgedBy, feedback: head.feedback, feedbackAt: head.feedbackAt)
            return .stored(record, notify: status == .resolved || rated.rating.priority != head.priority)
        }
    }

    /// What an arrival does to the stored alert.
    public enum Arrival: Sendable, Equatable {
        /// Only `lastSeenAt` moves to `at`.
        case seen(at: Date)
        /// The stored alert becomes `record`; `notify` when receivers must hear of it.
        case stored(AlertRecord, notify: Bool)
    }

    /// The record resolved by hand at `now`, nil when it is not firing.
    public func resolved(at now: Date) -> AlertRecord? {
        guard status == .firing else { return nil }
        var record = self
        record.alert.endsAt = now
        record.status = .resolved
        record.lastSeenAt = now
        return record
    }
}
