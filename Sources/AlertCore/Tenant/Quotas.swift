import Foundation

/// A tenant's limits (`quotas:` in tenant.yaml).
public struct Quotas: Sendable, Equatable, Encodable {
    public var ingestPerSecond: Double = 50
    public var ingestBurst: Int = 100
    /// Request bodies larger than this are answered 413.
    public var maxBodyBytes: Int = 1_048_576
    /// Alerts per ingest request.
    public var maxBatchSize: Int = 1_000
    public var maxActiveAlerts: Int = 10_000
    public var notificationsPerMinute: Int = 60
    public var retentionDays: Int = 30

    public init() {}
}

/// How notifications are retried (`delivery:` in tenant.yaml).
public struct DeliveryPolicy: Sendable, Equatable {
    /// Wait before the second attempt; doubles per attempt.
    public var initialBackoff: TimeInterval = 1
    public var maxBackoff: TimeInterval = 300
    /// A notification still failing this long after its first attempt is dead-lettered.
    public var giveUpAfter: TimeInterval = 86_400

    public init() {}

    /// The wait before attempt `attempt + 1` (the first retry is `attempt == 1`), with full
    /// jitter between half and all of the exponential step; `retryAfter` from the sink wins
    /// when it is longer.
    public func backoff(afterAttempt attempt: Int, retryAfter: TimeInterval?, jitter: Double) -> TimeInterval {
        let exponent = Double(max(0, attempt - 1))
        let step = min(maxBackoff, initialBackoff * pow(2, min(exponent, 30)))
        let jittered = step * (0.5 + 0.5 * min(1, max(0, jitter)))
        guard let retryAfter else { return jittered }
        return max(jittered, min(retryAfter, giveUpAfter))
    }
}
