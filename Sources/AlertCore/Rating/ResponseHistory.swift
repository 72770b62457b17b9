import Foundation

/// How fast humans acknowledged one alert group (alertname + service), time-decayed.
///
/// Each acknowledgement after `latency` seconds scores `target / (target + latency)`: 1 for an
/// instant ack, 0.5 at the tenant's response target, towards 0 for slow ones. The factor is the
/// decayed mean of those scores, pulled towards a 0.5 prior while there are few of them.
public struct ResponseHistory: Sendable, Codable, Equatable {
    /// Decayed number of acknowledgements.
    public var weight: Double
    /// Decayed sum of per-ack scores.
    public var total: Double
    /// Decayed sum of ack latencies in seconds (for display).
    public var latencySeconds: Double
    public var updatedAt: Date

    public static let prior = 0.5
    public static let priorWeight = 2.0

    public init(weight: Double = 0, total: Double = 0, latencySeconds: Double = 0, updatedAt: Date) {
        self.weight = weight
        self.total = total
        self.latencySeconds = latencySeconds
        self.updatedAt = updatedAt
    }

    public func decayed(to now: Date, halfLife: TimeInterval) -> ResponseHistory {
        let factor = decayFactor(from: updatedAt, to: now, halfLife: halfLife)
        return ResponseHistory(
            weight: weight * factor, total: total * factor, latencySeconds: latencySeconds * factor,
            updatedAt: max(now, updatedAt))
    }

    /// The history after one more acknowledgement that took `latency` seconds.
    public func recording(latency: TimeInterval, at now: Date, policy: RatingPolicy) -> ResponseHistory {
        var next = decayed(to: now, halfLife: policy.historyHalfLife)
        let latency = max(0, latency)
        next.weight += 1
        next.total += policy.responseTarget / (policy.responseTarget + latency)
        next.latencySeconds += latency
        return next
    }

    /// The response factor in [0, 1] at `now`.
    public func value(at now: Date, halfLife: TimeInterval) -> Double {
        let current = decayed(to: now, halfLife: halfLife)
        return (current.total + Self.prior * Self.priorWeight) / (current.weight + Self.priorWeight)
    }

    /// Mean time to acknowledge in seconds, nil without history.
    public func meanLatency(at now: Date, halfLife: TimeInterval) -> Double? {
        let current = decayed(to: now, halfLife: halfLife)
        return current.weight > 1e-9 ? current.latencySeconds / current.weight : nil
    }
}
