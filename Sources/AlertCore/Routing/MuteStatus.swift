import Foundation

/// Why a firing alert is muted now, as Alertmanager's alert status reports it: the silences
/// and the inhibiting alerts.
public struct MuteStatus: Sendable, Equatable {
    /// Ids of the active silences that match the alert.
    public var silencedBy: [String]
    /// Fingerprints of the firing alerts that inhibit it.
    public var inhibitedBy: [Fingerprint]

    public init(silencedBy: [String] = [], inhibitedBy: [Fingerprint] = []) {
        self.silencedBy = silencedBy
        self.inhibitedBy = inhibitedBy
    }

    public var isMuted: Bool { !silencedBy.isEmpty || !inhibitedBy.isEmpty }
}

/// A tenant's silences and inhibit rules against its firing alerts at one moment.
public struct MuteRules: Sendable {
    let silences: [(silence: Silence, matchers: [Matcher])]
    let inhibitRules: [InhibitRule]
    let firing: [AlertRecord]

    /// Keeps the silences active at `now`; a silence whose matchers no longer parse mutes
    /// nothing, as at flush time.
    public init(silences: [Silence], inhibitRules: [InhibitRule], firing: [AlertRecord], at now: Date) {
        self.silences = silences.compactMap { silence in
            guard silence.state(at: now) == .active else { return nil }
            guard let matchers = try? silence.matchers.map({ text throws(ConfigProblem) in try Matcher(parsing: text) }) else { return nil }
            return (silence, matchers)
        }
        self.inhibitRules = inhibitRules
        self.firing = firing
    }

    /// What mutes `record` now; a resolved alert is never muted.
    public func status(of record: AlertRecord) -> MuteStatus {
        guard record.status == .firing else { return MuteStatus() }
        let labels = record.alert.labels
        let silencedBy = silences.filter { $0.matchers.matchAll(labels: labels, rating: record.rating) }.map(\.silence.id)
        var inhibitedBy: [Fingerprint] = []
        var seen = Set<Fingerprint>()
        for rule in inhibitRules {
            for source in rule.sources(muting: record.alert, rating: record.rating, firing: firing)
            where seen.insert(source.fingerprint).inserted {
                inhibitedBy.append(source.fingerprint)
            }
        }
        return MuteStatus(silencedBy: silencedBy, inhibitedBy: inhibitedBy)
    }
}
