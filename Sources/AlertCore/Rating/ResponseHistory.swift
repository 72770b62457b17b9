import Foundation

/// How humans responded to one alert group (alertname + service), time-decayed.
///
/// Each acknowledgement of a firing alert after `latency` seconds scores
/// `target / (target + latency)`: 1 for an instant ack, 0.5 at the tenant's response target,
/// towards 0 for slow ones. An alert that resolves without any acknowledgement is a missed
/// response and scores 0. The factor is the decayed mean of those scores, pulled towards a 0.5
/// prior while there are few of them.
public struct ResponseHistory: Sendable, Codable, Equatable {
    /// Decayed number of acknowledgements.
    public var weight: Double
    /// Decayed sum of per-ack scores.
    public var total: Double
    /// Decayed sum of ack latencies in seconds (for display).
    public var latencySeconds: Double
    /// Decayed number of alerts that resolved without an acknowledgement.
    public var missed: Double
    public var updatedAt: Date

    public static let prior = 0.5
    public static let priorWeight = 2.0

    public init(weight: Double = 0, total: Double = 0, latencySeconds: Double = 0, missed: Double = 0, updatedAt: Date) {
        self.weight = weight
        self.total = total
        self.latencySeconds = latencySeconds
        self.missed = missed
        self.updatedAt = updatedAt
    }

    public func decayed(to now: Date, halfLife: TimeInterval) -> ResponseHistory {
        let factor = decayFactor(from: updatedAt, to: now, halfLife: halfLife)
        return ResponseHistory(
            weight: weight * factor, total: total * factor, latencySeconds: latencySeconds * factor, missed: missed * factor,
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

    /// The history after one more alert of the group resolved without an acknowledgement.
    public func recordingMiss(at now: Date, policy: RatingPolicy) -> ResponseHistory {
        var next = decayed(to: now, halfLife: policy.historyHalfLife)
        next.missed += 1
        return next
    }

    /// The response factor in [0, 1] at `now`.
    public func value(at now: Date, halfLife: TimeInterval) -> Double {
        let current = decayed(to: now, halfLife: halfLife)
        return (current.total + Self.prior * Self.priorWeight) / (current.weight + current.missed + Self.priorWeight)
    }

    /// Mean time to acknowledge in seconds, nil without acknowledgements.
    public func meanLatency(at now: Date, halfLife: TimeInterval) -> Double? {
        let current = decayed(to: now, halfLife: halfLife)
        return current.weight > 1e-9 ? current.latencySeconds / current.weight : nil
    }
}
