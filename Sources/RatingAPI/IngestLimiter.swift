import AlertCore
import Foundation
import Synchronization

/// Each tenant's ingest rate (`quotas.ingestPerSecond` alerts per second, bursts up to
/// `quotas.ingestBurst`), counted in alerts, not requests, scaled by the process's admission
/// level: when durable writes slow down past the target, every tenant gets the same share of
/// its quota (an alert then costs `1 / share` tokens).
public final class IngestLimiter: Sendable {
    private let buckets = Mutex<[TenantID: TokenBucket]>([:])
    private let admission: Mutex<AdmissionLevel>

    /// `writeLatencyTarget`: the smoothed durable-write latency above which the admitted
    /// share of every quota shrinks.
    public init(writeLatencyTarget: Duration = .milliseconds(250)) {
        admission = Mutex(AdmissionLevel(target: writeLatencyTarget.seconds, now: Date()))
    }

    /// Why ingest was refused and for how long.
    struct Refusal: Equatable {
        /// Whole seconds to wait.
        var retryAfter: Int
        /// Whether the process, not the tenant's own quota, made the difference.
        var overloaded: Bool
    }

    /// Admits `count` alerts of `tenant`, or says how long to wait.
    func admit(_ count: Int, tenant: TenantID, quotas: Quotas, at now: Date = Date()) -> Refusal? {
        let share = admissionShare(at: now)
        return buckets.withLock { buckets in
            var bucket = Self.bucket(buckets[tenant], quotas: quotas, now: now)
            let wait = bucket.take(Double(count) / share, at: now)
            buckets[tenant] = bucket
            return wait.map { Refusal(retryAfter: max(1, Int($0.rounded(.up))), overloaded: share < 1) }
        }
    }

    /// Refuses at once, before the body is read and decoded, when `tenant`'s bucket is
    /// already empty, so a tenant far over its quota costs little.
    func refuseEarly(tenant: TenantID, quotas: Quotas, at now: Date = Date()) -> Refusal? {
        admit(0, tenant: tenant, quotas: quotas, at: now)
    }

    /// Records how long a durable write of accepted alerts took.
    func observe(writeLatency: Duration, at now: Date = Date()) {
        admission.withLock { $0.observe(latency: writeLatency.seconds, at: now) }
    }

    /// The share of every quota admitted now, in (0, 1].
    func admissionShare(at now: Date = Date()) -> Double {
        admission.withLock { $0.current(at: now) }
    }

    /// How many alerts `tenant` may send right now.
    func available(tenant: TenantID, quotas: Quotas, at now: Date = Date()) -> Double {
        buckets.withLock { buckets in
            var bucket = Self.bucket(buckets[tenant], quotas: quotas, now: now)
            _ = bucket.take(0, at: now)
            return bucket.tokens
        }
    }

    /// The tenant's bucket, or a full one when there is none or the quota changed.
    private static func bucket(_ current: TokenBucket?, quotas: Quotas, now: Date) -> TokenBucket {
        let burst = Double(quotas.ingestBurst)
        guard let current, current.rate == quotas.ingestPerSecond, current.burst == burst else {
            return TokenBucket(rate: quotas.ingestPerSecond, burst: burst, now: now)
        }
        return current
    }
}
