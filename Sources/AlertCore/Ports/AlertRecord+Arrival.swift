import Foundation

extension AlertRecord {
    /// The record after `rated` arrives at `now`, given the stored record (nil for a new
    /// fingerprint), and whether receivers must hear of it: a new firing alert, a status
    /// change or a new priority. A repeated firing alert updates its record and keeps its
    /// episode start; firing again after a resolve starts a new episode.
    public static func arrival(of rated: RatedAlert, over existing: AlertRecord?, at now: Date) -> (record: AlertRecord, notify: Bool) {
        guard var record = existing else {
            let record = AlertRecord(
                fingerprint: rated.alert.fingerprint, alert: rated.alert, status: rated.status, rating: rated.rating, firstSeenAt: now,
                lastSeenAt: now, occurrences: 1)
            return (record, rated.status == .firing)
        }
        let previousStart = record.alert.startsAt
        let previousPriority = record.rating.priority
        switch (record.status, rated.status) {
        case (.resolved, .resolved):
            record.lastSeenAt = now
            return (record, false)
        case (.resolved, .firing):
            var alert = rated.alert
            if alert.startsAt <= record.lastSeenAt { alert.startsAt = now }
            record = AlertRecord(
                fingerprint: record.fingerprint, alert: alert, status: .firing, rating: rated.rating, firstSeenAt: now,
                lastSeenAt: now, occurrences: 1)
            return (record, true)
        case (.firing, let status):
            record.alert = rated.alert
            record.alert.startsAt = previousStart
            record.status = status
            record.rating = rated.rating
            record.lastSeenAt = now
            if status == .firing { record.occurrences += 1 }
            return (record, status == .resolved || rated.rating.priority != previousPriority)
        }
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
