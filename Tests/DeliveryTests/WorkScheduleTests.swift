import AlertCore
import Foundation
@testable import Delivery
import Synchronization
import Testing

/// The background workers' schedule: a tenant is served when it has work and otherwise not at all.
@Suite struct WorkScheduleTests {
    let tenants = (0..<100).map { TenantID("tenant-\($0)")! }

    /// Counts passes per tenant, and how many run at once; each pass takes `duration` (the
    /// passes of `held` until `release()`) and answers with the next due time `next` gives.
    final class Passes: Sendable {
        private let counts = Mutex<[TenantID: Int]>([:])
        private let times = Mutex<[TenantID: [Date]]>([:])
        private let running = Mutex((now: 0, most: 0, done: [TenantID]()))
        private let held: Mutex<Set<TenantID>>
        let duration: Duration
        /// The next due time a tenant's pass answers, given how many passes it had.
        let next: @Sendable (TenantID, Int) -> Date?

        init(
            duration: Duration = .zero, held: Set<TenantID> = [], next: @escaping @Sendable (TenantID, Int) -> Date? = { _, _ in nil }
        ) {
            self.duration = duration
            self.held = Mutex(held)
            self.next = next
        }

        /// Lets the held passes end.
        func release() { held.withLock { $0 = [] } }

        func pass(_ tenant: TenantID) async -> Date? {
            let count = counts.withLock { counts in
                counts[tenant, default: 0] += 1
                return counts[tenant]!
            }
            times.withLock { $0[tenant, default: []].append(Date()) }
            running.withLock { running in
                running.now += 1
                running.most = max(running.most, running.now)
            }
            if duration > .zero { try? await Task.sleep(for: duration) }
            while held.withLock({ $0.contains(tenant) }) {
                do { try await Task.sleep(for: .milliseconds(5)) } catch { break }
            }
            running.withLock { running in
                running.now -= 1
                running.done.append(tenant)
            }
            return next(tenant, count)
        }

        /// How many passes run now.
        var now: Int { running.withLock { $0.now } }
        func count(_ tenant: TenantID) -> Int { counts.withLock { $0[tenant] ?? 0 } }
        var total: Int { counts.withLock { $0.values.reduce(0, +) } }
        func times(_ tenant: TenantID) -> [Date] { times.withLock { $0[tenant] ?? [] } }
        /// The most passes that ran at once.
        var most: Int { running.withLock { $0.most } }
        /// The tenants whose passes ended, in the order they ended.
        var done: [TenantID] { running.withLock { $0.done } }
    }

    func serving(_ schedule: WorkSchedule, _ passes: Passes, _ body: () async throws -> Void) async throws {
        let tenants = self.tenants
        let worker = Task {
            await schedule.serve(tenants: { tenants }, recheck: .seconds(3_600), isRunning: { !Task.isCancelled }) { await passes.pass($0) }
        }
        defer { worker.cancel() }
        try await body()
    }

    func waitFor(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<1_000 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    @Test func idleTenantsAreLookedAtOnceAndThenLeftAlone() async throws {
        let schedule = WorkSchedule(spacing: .milliseconds(20))
        let passes = Passes()
        try await serving(schedule, passes) {
            let everyTenantLookedAt = try await waitFor { passes.total == tenants.count }
            #expect(everyTenantLookedAt, "every tenant is looked at once at the start")
            try await Task.sleep(for: .milliseconds(300))
            #expect(passes.total == tenants.count, "nothing is due, so nobody is looked at again")

            schedule.announce(tenants[7])
            let announcedWorkServed = try await waitFor { passes.count(tenants[7]) == 2 }
            #expect(announcedWorkServed, "announced work is served")
            try await Task.sleep(for: .milliseconds(100))
            #expect(passes.total == tenants.count + 1, "and only the tenant that has it")
        }
    }

    @Test func aTenantIsServedWhenItsWorkIsDueAndNotBefore() async throws {
        let schedule = WorkSchedule(spacing: .milliseconds(10))
        let due = Mutex<Date?>(nil)
        let passes = Passes { tenant, count in
            guard tenant.rawValue == "tenant-3", count == 1 else { return nil }
            return due.withLock { due in
                due = Date().addingTimeInterval(0.3)
                return due
            }
        }
        try await serving(schedule, passes) {
            let secondPassCame = try await waitFor { passes.count(tenants[3]) == 2 }
            #expect(secondPassCame)
            let times = passes.times(tenants[3])
            try #require(times.count >= 2)
            let named = try #require(due.withLock { $0 })
            #expect(times[1] >= named, "the second pass waits for the due time the first one named")
        }
    }

    @Test func announcementsInABurstCostOnePassPerSpacing() async throws {
        let schedule = WorkSchedule(spacing: .milliseconds(200))
        let passes = Passes()
        try await serving(schedule, passes) {
            let startPassesDone = try await waitFor { passes.total == tenants.count }
            #expect(startPassesDone)
            for _ in 0..<1_000 { schedule.announce(tenants[0]) }
            let burstServed = try await waitFor { passes.count(tenants[0]) == 2 }
            #expect(burstServed)
            try await Task.sleep(for: .milliseconds(50))
            #expect(passes.count(tenants[0]) == 2, "a thousand announcements within the spacing are one pass")
        }
    }

    @Test func rechecksRunAFewAtATime() async throws {
        let schedule = WorkSchedule(spacing: .milliseconds(10))
        let passes = Passes(duration: .milliseconds(5))
        try await serving(schedule, passes) {
            let everyTenantChecked = try await waitFor { passes.done.count == tenants.count }
            #expect(everyTenantChecked)
            #expect(Set(passes.done) == Set(tenants), "each tenant is checked")
            #expect(passes.most <= WorkSchedule.rechecksAtOnce, "at most \(WorkSchedule.rechecksAtOnce) at a time, not \(passes.most)")
        }
    }

    @Test func announcedWorkDoesNotWaitForTheRechecks() async throws {
        let schedule = WorkSchedule(spacing: .milliseconds(10))
        let passes = Passes(duration: .milliseconds(20))
        let busy = TenantID("busy")!
        try await serving(schedule, passes) {
            let rechecksStarted = try await waitFor { !passes.done.isEmpty }
            #expect(rechecksStarted)
            schedule.announce(busy)
            let served = try await waitFor { passes.done.contains(busy) }
            #expect(served)
            let rechecksBefore = passes.done.prefix { $0 != busy }.count
            #expect(rechecksBefore < tenants.count, "the announced tenant is served while the rechecks go on")
        }
    }

    @Test func aSlowPassHoldsItsOwnTenantOnly() async throws {
        let schedule = WorkSchedule(spacing: .milliseconds(10), roundWait: .milliseconds(100))
        let slow = TenantID("slow")!
        let other = TenantID("other")!
        let passes = Passes(held: [slow])
        try await serving(schedule, passes) {
            let startChecksDone = try await waitFor { passes.done.count == tenants.count }
            #expect(startChecksDone)
            schedule.announce(slow)
            let slowStarted = try await waitFor { passes.count(slow) == 1 }
            #expect(slowStarted)
            schedule.announce(other)
            let otherServed = try await waitFor { passes.done.contains(other) }
            #expect(otherServed, "another tenant's work is served while the slow pass goes on")
            #expect(passes.now == 1 && !passes.done.contains(slow), "the slow pass is still under way")

            schedule.announce(slow)
            try await Task.sleep(for: .milliseconds(200))
            #expect(passes.count(slow) == 1, "a tenant has one pass at a time: work announced during it waits")
            passes.release()
            let announcedWorkServedAfter = try await waitFor { passes.count(slow) == 2 }
            #expect(announcedWorkServedAfter, "the work announced during the pass is served once it ended")
        }
    }
}
