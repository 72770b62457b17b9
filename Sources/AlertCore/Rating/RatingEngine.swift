import Foundation

/// Rates alerts: severity × source reliability × response history, as a weighted mean that
/// is explainable factor by factor and deterministic for a given history.
public struct RatingEngine: Sendable {
    public let policy: RatingPolicy

    public init(policy: RatingPolicy) {
        self.policy = policy
    }

    /// Outcomes after which the learned model makes up half the score.
    public static let handoverOutcomes = 50.0

    /// Rates `alert` at `now` given what is known about its source and its group, and in
    /// learned mode what the tenant's `model` learned; the learned features are kept only
    /// when `explaining`.
    public func rate(
        _ alert: Alert, reliability: SourceReliability?, history: ResponseHistory?, model: ActionabilityModel?, at now: Date,
        explaining: Bool = false
    ) -> Rating {
        var rating = rate(alert, reliability: reliability, history: history, at: now)
        guard policy.mode == .learned else { return rating }
        var model = model ?? ActionabilityModel()
        model.settings.halfLife = policy.historyHalfLife
        model.settings.informativeLabels = policy.informativeLabels
        let assessment = model.assess(alert, at: now, explaining: explaining)
        let outcomes = model.counts["tenant"]?.decayed(to: now, halfLife: policy.historyHalfLife).total ?? 0
        let handover = outcomes / (outcomes + Self.handoverOutcomes)
        let score = (handover * assessment.probability + (1 - handover) * rating.score).clamped
        rating.score = score
        rating.priority = Priority(score: score, threshold: policy.threshold)
        rating.urgent = score >= policy.threshold
        rating.learned = LearnedRating(probability: assessment.probability, handover: handover, assessment: explaining ? assessment : nil)
        return rating
    }

    /// Rates `alert` at `now` with the fixed weights, given what is known about its source and
    /// its group.
    public func rate(
        _ alert: Alert,
        reliability: SourceReliability?,
        history: ResponseHistory?,
        at now: Date
    ) -> Rating {
        let severityLabel = alert.labels["severity"]?.lowercased()
        let severity = severityLabel.flatMap { policy.severityMap[$0] } ?? policy.unknownSeverity
        let severityDetail =
            severityLabel.map { policy.severityMap[$0] == nil ? "severity \"\($0)\" is not in the severity map" : "severity \"\($0)\"" }
            ?? "no severity label"

        let sourceStats = reliability ?? SourceReliability(updatedAt: now)
        let reliabilityValue = sourceStats.reliability(at: now, halfLife: policy.historyHalfLife)
        let current = sourceStats.decayed(to: now, halfLife: policy.historyHalfLife)
        let reliabilityDetail = "source \"\(alert.source)\": \(current.actionable.fixed(1)) actionable, \(current.noise.fixed(1)) noise (decayed)"

        let groupStats = history ?? ResponseHistory(updatedAt: now)
        let historyValue = groupStats.value(at: now, halfLife: policy.historyHalfLife)
        let historyDetail = Self.historyDetail(groupStats, group: alert.responseGroup, at: now, halfLife: policy.historyHalfLife)

        let raw: [(String, Double, Double, String)] = [
            ("severity", severity, policy.severityWeight, severityDetail),
            ("reliability", reliabilityValue, policy.reliabilityWeight, reliabilityDetail),
            ("history", historyValue, policy.historyWeight, historyDetail),
        ]
        let totalWeight = raw.reduce(0) { $0 + $1.2 }
        let factors = raw.map { name, value, weight, detail in
            let normalised = totalWeight > 0 ? weight / totalWeight : 1.0 / Double(raw.count)
            return RatingFactor(
                name: name, value: value.clamped, weight: normalised, contribution: value.clamped * normalised, detail: detail)
        }
        let score = factors.reduce(0) { $0 + $1.contribution }.clamped
        return Rating(
            score: score,
            priority: Priority(score: score, threshold: policy.threshold),
            urgent: score >= policy.threshold,
            factors: factors
        )
    }

    /// `group "…": mean time to acknowledge 95s over 2.0 acknowledgements, 1.0 resolved unacknowledged (decayed)`.
    static func historyDetail(_ history: ResponseHistory, group: String, at now: Date, halfLife: TimeInterval) -> String {
        let current = history.decayed(to: now, halfLife: halfLife)
        let missed = current.missed > 1e-9 ? ", \(current.missed.fixed(1)) resolved unacknowledged" : ""
        if let mean = history.meanLatency(at: now, halfLife: halfLife) {
            return "group \"\(group)\": mean time to acknowledge \(mean.fixed(0))s over \(current.weight.fixed(1)) acknowledgements\(missed) (decayed)"
        }
        return missed.isEmpty
            ? "group \"\(group)\": no acknowledgements yet"
            : "group \"\(group)\": no acknowledgements\(missed) (decayed)"
    }
}

extension Double {
    /// The value limited to [0, 1].
    var clamped: Double { Swift.min(1, Swift.max(0, self)) }
}
