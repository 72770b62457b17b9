import Foundation

/// Time-decayed counts of actionable and noise outcomes (a Beta-Binomial's evidence), each
/// outcome losing half its weight every `halfLife`.
public struct OutcomeCounts: Sendable, Codable, Equatable {
    public var actionable: Double
    public var noise: Double
    public var updatedAt: Date

    public init(actionable: Double = 0, noise: Double = 0, updatedAt: Date) {
        self.actionable = actionable
        self.noise = noise
        self.updatedAt = updatedAt
    }

    public var total: Double { actionable + noise }

    public func decayed(to now: Date, halfLife: TimeInterval) -> OutcomeCounts {
        let elapsed = max(0, now.timeIntervalSince(updatedAt))
        let factor = halfLife > 0 ? pow(0.5, elapsed / halfLife) : 1
        return OutcomeCounts(actionable: actionable * factor, noise: noise * factor, updatedAt: max(now, updatedAt))
    }

    /// Adds `outcome` at `now`.
    public func adding(_ outcome: AlertOutcome, at now: Date, halfLife: TimeInterval) -> OutcomeCounts {
        var counts = decayed(to: now, halfLife: halfLife)
        counts.actionable += outcome.weight * outcome.actionableShare
        counts.noise += outcome.weight * (1 - outcome.actionableShare)
        return counts
    }

    /// The posterior mean of the actionable rate, shrunk towards `prior` with `strength`
    /// pseudo-outcomes: little evidence stays near the prior.
    public func rate(shrunkTowards prior: Double, strength: Double) -> Double {
        (actionable + strength * prior) / (total + strength)
    }
}
