import Foundation

/// A token bucket that may go into debt: a request is admitted while the bucket holds any
/// tokens and then pays its full cost, so a batch larger than the burst is admitted once
/// and the requests after it wait until the debt is refilled.
public struct TokenBucket: Sendable, Equatable {
    public let rate: Double
    public let burst: Double
    public private(set) var tokens: Double
    public private(set) var updatedAt: Date

    public init(rate: Double, burst: Double, now: Date) {
        self.rate = rate
        self.burst = burst
        tokens = burst
        updatedAt = now
    }

    /// Takes `cost` tokens and returns nil, or returns the seconds until a request can be
    /// admitted again.
    public mutating func take(_ cost: Double, at now: Date) -> TimeInterval? {
        tokens = min(burst, tokens + max(0, now.timeIntervalSince(updatedAt)) * rate)
        updatedAt = max(updatedAt, now)
        guard tokens > 0 else { return -tokens / rate }
        tokens -= cost
        return nil
    }
}
