import AlertCore
import Synchronization

/// An upper bound of each tenant's firing alerts from its last count in the store, so that a
/// request that cannot reach `quotas.maxActiveAlerts` skips counting again. A count older
/// than `maxAge` is not used; every request admitted on the estimate adds all its alerts to
/// it, as if each started firing. Requests that find a tenant's count too old at the same
/// time share one new count (`recount`) instead of each counting the store.
final class ActiveAlertEstimate: Sendable {
    private struct Counts {
        var known: [TenantID: (count: Int, at: ContinuousClock.Instant)] = [:]
        /// The count under way for a tenant: the number that tells it from a later one, and
        /// how many callers wait for it.
        var recounts: [TenantID: (number: Int, callers: Int, task: Task<Void, any Error>)] = [:]
        var recountsStarted = 0
    }

    private let counts = Mutex(Counts())
    let maxAge: Duration

    init(maxAge: Duration = .seconds(1)) {
        self.maxAge = maxAge
    }

    /// Whether `adding` alerts surely leave `tenant` within `limit`; counts them when so.
    func admits(_ adding: Int, limit: Int, tenant: TenantID, now: ContinuousClock.Instant = .now) -> Bool {
        counts.withLock { counts in
            guard let known = counts.known[tenant], now - known.at < maxAge, known.count + adding <= limit else { return false }
            counts.known[tenant] = (known.count + adding, known.at)
            return true
        }
    }

    /// Whether `tenant` has no count younger than `maxAge`.
    func isStale(_ tenant: TenantID, now: ContinuousClock.Instant = .now) -> Bool {
        counts.withLock { counts in counts.known[tenant].map { now - $0.at >= maxAge } ?? true }
    }

    /// What the store counted just now.
    func record(_ count: Int, tenant: TenantID, now: ContinuousClock.Instant = .now) {
        counts.withLock { $0.known[tenant] = (count, now) }
    }

    /// Records what `count` finds for `tenant` unless a count younger than `maxAge` is known;
    /// while one count of the tenant is under way, a caller waits for that one instead of
    /// starting another. Throws what the count threw.
    func recount(_ tenant: TenantID, now: ContinuousClock.Instant = .now, _ count: @escaping @Sendable () async throws -> Int)
        async throws
    {
        let task = counts.withLock { counts -> Task<Void, any Error>? in
            if let known = counts.known[tenant], now - known.at < maxAge { return nil }
            if let running = counts.recounts[tenant] {
                counts.recounts[tenant]?.callers += 1
                return running.task
            }
            counts.recountsStarted += 1
            let number = counts.recountsStarted
            let task = Task {
                defer {
                    self.counts.withLock { counts in
                        if counts.recounts[tenant]?.number == number { counts.recounts[tenant] = nil }
                    }
                }
                self.record(try await count(), tenant: tenant)
            }
            counts.recounts[tenant] = (number, 1, task)
            return task
        }
        try await task?.value
    }

    /// How many callers wait for the count of `tenant` under way (0: none is).
    func callersOfRecount(_ tenant: TenantID) -> Int {
        counts.withLock { $0.recounts[tenant]?.callers ?? 0 }
    }
}
