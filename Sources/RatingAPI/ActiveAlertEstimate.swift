import AlertCore
import Synchronization

/// An upper bound of each tenant's firing alerts from its last count in the store, so that a
/// request that cannot reach `quotas.maxActiveAlerts` skips counting again. A count older
/// than `maxAge` is not used; every request admitted on the estimate adds all its alerts to
/// it, as if each started firing.
final class ActiveAlertEstimate: Sendable {
    private let counts = Mutex<[TenantID: (count: Int, at: ContinuousClock.Instant)]>([:])
    let maxAge: Duration

    init(maxAge: Duration = .seconds(1)) {
        self.maxAge = maxAge
    }

    /// Whether `adding` alerts surely leave `tenant` within `limit`; counts them when so.
    func admits(_ adding: Int, limit: Int, tenant: TenantID, now: ContinuousClock.Instant = .now) -> Bool {
        counts.withLock { counts in
            guard let known = counts[tenant], now - known.at < maxAge, known.count + adding <= limit else { return false }
            counts[tenant] = (known.count + adding, known.at)
            return true
        }
    }

    /// What the store counted just now.
    func record(_ count: Int, tenant: TenantID, now: ContinuousClock.Instant = .now) {
        counts.withLock { $0[tenant] = (count, now) }
    }
}
