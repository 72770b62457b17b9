import AlertCore
import Foundation
import Synchronization

/// Each tenant's ingest rate (`quotas.ingestPerSecond` alerts per second, bursts up to
/// `quotas.ingestBurst`), counted in alerts, not requests.
public final class IngestLimiter: Sendable {
    private let buckets = Mutex<[TenantID: TokenBucket]>([:])

    public init() {}

    /// Admits `count` alerts of `tenant`, or returns the whole seconds to wait.
    func admit(_ count: Int, tenant: TenantID, quotas: Quotas, at now: Date = Date()) -> Int? {
        buckets.withLock { buckets in
            var bucket = Self.bucket(buckets[tenant], quotas: quotas, now: now)
            let wait = bucket.take(Double(count), at: now)
            buckets[tenant] = bucket
            return wait.map { max(1, Int($0.rounded(.up))) }
        }
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
