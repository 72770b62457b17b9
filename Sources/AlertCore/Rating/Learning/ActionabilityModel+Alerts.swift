import Foundation

extension ActionabilityModel {
    /// Takes the tenant's settings: half-life and informative labels.
    public mutating func adopt(_ policy: RatingPolicy) {
        settings.halfLife = policy.historyHalfLife
        settings.informativeLabels = policy.informativeLabels
    }

    /// Learns from the ended episode of `record`: its outcome by the rule table, against the
    /// assessment it carries, or (stored ratings keep no features) what the model makes now of
    /// the alert as it was when it fired.
    public mutating func learn(endedEpisode record: AlertRecord, firstNotifiedAt: Date?, policy: RatingPolicy, at now: Date) {
        adopt(policy)
        let outcome = AlertOutcome(record: record, firstNotifiedAt: firstNotifiedAt, policy: policy)
        let assessment = record.rating.learned?.assessment ?? assess(record.alert, at: record.firstSeenAt, explaining: false)
        learn(outcome, of: record.alert, assessment: assessment, at: now)
    }

    /// Replaces what an alert already learned from taught (`old`, counted at `learnedAt`) with
    /// `new`: the counts take the old outcome back, decayed as it has been since, and add the new.
    public mutating func correct(_ alert: Alert, from old: AlertOutcome, learnedAt: Date, to new: AlertOutcome, policy: RatingPolicy, at now: Date) {
        adopt(policy)
        let keys = LevelKeys(alert, informative: settings.informativeLabels)
        let decay = settings.halfLife > 0 ? pow(0.5, max(0, now.timeIntervalSince(learnedAt)) / settings.halfLife) : 1
        for key in keys.all {
            var counts = (counts[key] ?? OutcomeCounts(updatedAt: now)).decayed(to: now, halfLife: settings.halfLife)
            counts.actionable = max(0, counts.actionable - decay * old.weight * old.actionableShare)
            counts.noise = max(0, counts.noise - decay * old.weight * (1 - old.actionableShare))
            self.counts[key] = counts.adding(new, at: now, halfLife: settings.halfLife)
        }
    }
}

extension AlertOutcome {
    /// The outcome of `record`'s episode: its feedback, else how fast it was acknowledged after
    /// its first delivered notification (else after it arrived), else unacknowledged. alertd
    /// does not record whether an alert was silenced, so that rule applies in replays only.
    public init(record: AlertRecord, firstNotifiedAt: Date?, policy: RatingPolicy) {
        let latency = record.acknowledgedAt.map { $0.timeIntervalSince(firstNotifiedAt ?? record.firstSeenAt) }
        self.init(feedback: record.feedback, silenced: false, acknowledgementLatency: latency, responseTarget: policy.responseTarget)
    }
}
