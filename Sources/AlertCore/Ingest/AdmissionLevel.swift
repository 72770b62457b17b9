import Foundation

/// How much of every tenant's ingest quota the process admits now, adapted to how long the
/// durable write of accepted alerts takes (additive increase, multiplicative decrease).
///
/// While the smoothed write latency is above `target`, the share falls by `decrease` at most
/// once per second, down to `minimum`; while it is at or below the target, or no write was
/// seen for a second, the share grows by `increase` per second back to 1. Each tenant then
/// gets `share` × its own quota, so an overloaded process sheds load in proportion to the
/// quotas and answers 429 with `Retry-After` instead of timing out.
public struct AdmissionLevel: Sendable, Equatable {
    public let target: TimeInterval
    public let minimum: Double
    public let decrease: Double
    public let increase: Double
    public private(set) var share: Double = 1
    /// Exponentially weighted write latency, in seconds.
    public private(set) var smoothedLatency: TimeInterval?
    private var lastChange: Date
    private var lastObservation: Date

    public init(target: TimeInterval, minimum: Double = 0.05, decrease: Double = 0.7, increase: Double = 0.05, now: Date) {
        self.target = target
        self.minimum = minimum
        self.decrease = decrease
        self.increase = increase
        lastChange = now
        lastObservation = now
    }

    /// Records how long one durable write took (a failed write counts with its full wait).
    public mutating func observe(latency: TimeInterval, at now: Date) {
        let smoothed = smoothedLatency.map { 0.8 * $0 + 0.2 * latency } ?? latency
        smoothedLatency = smoothed
        lastObservation = max(lastObservation, now)
        if smoothed > target {
            if share > minimum, now.timeIntervalSince(lastChange) >= 1 {
                share = max(minimum, share * decrease)
                lastChange = now
            }
        } else {
            recover(at: now)
        }
    }

    /// The share admitted at `now`, after any recovery that is due.
    public mutating func current(at now: Date) -> Double {
        if now.timeIntervalSince(lastObservation) >= 1 {
            smoothedLatency = nil
            recover(at: now)
        }
        return share
    }

    private mutating func recover(at now: Date) {
        guard share < 1 else {
            lastChange = now
            return
        }
        let seconds = now.timeIntervalSince(lastChange).rounded(.down)
        guard seconds >= 1 else { return }
        share = min(1, share + increase * seconds)
        lastChange = now
    }
}
