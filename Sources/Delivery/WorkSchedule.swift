import AlertCore
import Foundation
import ServiceLifecycle
import Synchronization

/// When each tenant next has background work of one kind (group flushes, or deliveries): the
/// worker that owns the schedule sleeps until the earliest due time or until work is announced,
/// then serves the tenants that are due. An idle tenant costs nothing: it has no due time.
///
/// A tenant is served at most once per `spacing`, so a tenant that keeps announcing work (a
/// busy ingest) costs one pass per `spacing`, not one per announcement; and it has one pass at
/// a time: work announced during its pass waits for the pass to end.
public final class WorkSchedule: Sendable {
    let spacing: TimeInterval
    let roundWait: Duration
    private let state = Mutex(State())

    private let wakeup = Wakeup()

    private struct State {
        var due: [TenantID: Date] = [:]
        var lastPass: [TenantID: Date] = [:]
        var passing: Set<TenantID> = []
    }

    /// `roundWait`: how long the passes started together are waited for before the next due
    /// tenants are served beside the ones still running (a receiver that takes its timeout
    /// to answer holds its own tenant's pass, not the others').
    public init(spacing: Duration, roundWait: Duration = .seconds(1)) {
        self.spacing = spacing.seconds
        self.roundWait = roundWait
    }

    /// Work for `tenant` is due at `time` (now when nil): the tenant is served then, or at its
    /// next pass if that comes sooner. Wakes the worker when this moves its next due time forward.
    public func announce(_ tenant: TenantID, at time: Date? = nil) {
        let moved = state.withLock { state -> Bool in
            let earliest = state.lastPass[tenant].map { $0.addingTimeInterval(spacing) } ?? .distantPast
            let at = max(time ?? Date(), earliest)
            if let due = state.due[tenant], due <= at { return false }
            state.due[tenant] = at
            return !state.passing.contains(tenant)
        }
        if moved { wakeup.signal() }
    }

    /// The tenants due at `now` whose last pass has ended, taken off the schedule and marked
    /// passing; each pass reschedules its tenant and ends with `ended(_:)`.
    func takeDue(at now: Date) -> [TenantID] {
        state.withLock { state in
            let due = state.due.filter { $0.value <= now && !state.passing.contains($0.key) }.map(\.key)
            for tenant in due {
                state.due[tenant] = nil
                state.lastPass[tenant] = now
                state.passing.insert(tenant)
            }
            return due
        }
    }

    /// Of `tenants`, the ones with no pass under way, marked passing.
    func takeIdle(_ tenants: some Sequence<TenantID>) -> [TenantID] {
        state.withLock { state in
            tenants.filter { state.passing.insert($0).inserted }
        }
    }

    /// `tenant`'s pass has ended; wakes the worker when work was announced during it.
    func ended(_ tenant: TenantID) {
        let due = state.withLock { state -> Bool in
            state.passing.remove(tenant)
            return state.due[tenant] != nil
        }
        if due { wakeup.signal() }
    }

    /// The tenants with work scheduled.
    public var scheduledTenants: Set<TenantID> { state.withLock { Set($0.due.keys) } }

    /// The earliest due time of a tenant with no pass under way, nil when none has work.
    var nextDue: Date? { state.withLock { state in state.due.filter { !state.passing.contains($0.key) }.values.min() } }

    /// Sleeps until `deadline` (at most), or until work is announced, or until the task is
    /// cancelled.
    func sleep(until deadline: Date) async {
        let seconds = deadline.timeIntervalSinceNow
        guard seconds > 0 else { return }
        await wakeup.wait(atMost: .milliseconds(Int64((seconds * 1_000).rounded(.up))))
    }

    /// How many tenants' rechecks run at a time, beside the passes of announced work.
    static var rechecksAtOnce: Int { 4 }

    /// Serves due tenants with `pass` until shutdown: each pass returns when its tenant next has
    /// work (nil for none). At the start and then every `recheck`, each tenant of `tenants()`
    /// gets a pass anyway, to learn of work this process was not told about (another
    /// replica's, a reload's). Those rechecks run `rechecksAtOnce` at a time, beside the
    /// announced work: a thousand tenants checked at once would hold the database's
    /// connections and the threads that requests wait for.
    ///
    /// The passes started together are waited for, so that a busy tenant's next pass comes
    /// after the others' and the passes' rate follows the load, but for `roundWait` at most: a
    /// pass still running then goes on alone while other tenants are served.
    func serve(
        tenants: @Sendable () -> [TenantID], recheck: Duration, isRunning: @Sendable () -> Bool,
        pass: @escaping @Sendable (TenantID) async -> Date?
    ) async {
        await withDiscardingTaskGroup { group in
            var nextRecheck = Date()
            var rechecks: ArraySlice<TenantID> = []
            while isRunning() {
                let now = Date()
                if now >= nextRecheck {
                    rechecks = ArraySlice(tenants())
                    nextRecheck = now.addingTimeInterval(recheck.seconds)
                }
                let due = takeDue(at: now)
                let rechecked = takeIdle(rechecks.prefix(Self.rechecksAtOnce))
                rechecks = rechecks.dropFirst(Self.rechecksAtOnce)
                let round = PassRound(passes: due.count + rechecked.count)
                for tenant in due + rechecked {
                    group.addTask {
                        let next = await pass(tenant)
                        if let next { self.announce(tenant, at: next) }
                        self.ended(tenant)
                        round.ended()
                    }
                }
                await round.wait(atMost: roundWait)
                if !rechecks.isEmpty { continue }
                let wake = min(nextDue ?? nextRecheck, nextRecheck)
                try? await cancelWhenGracefulShutdown { await self.sleep(until: wake) }
            }
        }
    }
}
