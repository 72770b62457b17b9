import Foundation

/// What a human said about an alert: it needed action, or it was noise.
public enum FeedbackKind: String, Sendable, Codable, CaseIterable {
    case actionable
    case noise
}

/// Time-decayed counts of feedback on one source's alerts; their Beta posterior mean is the
/// source's reliability.
public struct SourceReliability: Sendable, Codable, Equatable {
    public var actionable: Double
    public var noise: Double
    public var updatedAt: Date

    /// Beta(1, 1) prior: a source nobody rated yet is 0.5 reliable.
    public static let priorActionable = 1.0
    public static let priorNoise = 1.0

    public init(actionable: Double = 0, noise: Double = 0, updatedAt: Date) {
        self.actionable = actionable
        self.noise = noise
        self.updatedAt = updatedAt
    }

    /// The counts as seen at `now`: each halves every `halfLife`.
    public func decayed(to now: Date, halfLife: TimeInterval) -> SourceReliability {
        let factor = decayFactor(from: updatedAt, to: now, halfLife: halfLife)
        return SourceReliability(actionable: actionable * factor, noise: noise * factor, updatedAt: max(now, updatedAt))
    }

    /// The counts after one more piece of feedback at `now`.
    public func recording(_ kind: FeedbackKind, at now: Date, halfLife: TimeInterval) -> SourceReliability {
        var next = decayed(to: now, halfLife: halfLife)
        switch kind {
        case .actionable: next.actionable += 1
        case .noise: next.noise += 1
        }
        return next
    }

    /// The counts after feedback given at `givenAt` is taken back at `now`: its count, decayed
    /// as it has been since, is removed (never below zero), so a correction replaces it.
    public func withdrawing(_ kind: FeedbackKind, givenAt: Date, at now: Date, halfLife: TimeInterval) -> SourceReliability {
        var next = decayed(to: now, halfLife: halfLife)
        let weight = decayFactor(from: givenAt, to: now, halfLife: halfLife)
        switch kind {
        case .actionable: next.actionable = max(0, next.actionable - weight)
        case .noise: next.noise = max(0, next.noise - weight)
        }
        return next
    }

    /// Posterior mean of "actionable" at `now`.
    public func reliability(at now: Date, halfLife: TimeInterval) -> Double {
        let current = decayed(to: now, halfLife: halfLife)
        return (current.actionable + Self.priorActionable)
            / (current.actionable + current.noise + Self.priorActionable + Self.priorNoise)
    }
}

/// `0.5^(elapsed / halfLife)`, 1 when no time has passed.
func decayFactor(from then: Date, to now: Date, halfLife: TimeInterval) -> Double {
    let elapsed = max(0, now.timeIntervalSince(then))
    guard halfLife > 0 else { return elapsed > 0 ? 0 : 1 }
    return pow(0.5, elapsed / halfLife)
}
