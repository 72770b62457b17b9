import AlertCore
import Synchronization
import Testing

@testable import RatingAPI

@Suite struct ActiveAlertEstimateTests {
    let acme = TenantID("acme")!
    let start = ContinuousClock.now

    @Test func admitsOnlyWhileAFreshCountLeavesRoomAndCountsWhatItAdmits() {
        let estimate = ActiveAlertEstimate(maxAge: .seconds(1))
        #expect(!estimate.admits(1, limit: 10, tenant: acme, now: start), "no count yet")
        estimate.record(7, tenant: acme, now: start)
        #expect(estimate.admits(2, limit: 10, tenant: acme, now: start + .milliseconds(100)))
        #expect(!estimate.admits(2, limit: 10, tenant: acme, now: start + .milliseconds(200)), "the admitted two count as firing")
        #expect(estimate.admits(1, limit: 10, tenant: acme, now: start + .milliseconds(300)))
        #expect(!estimate.admits(0, limit: 10, tenant: acme, now: start + .seconds(2)), "an old count is not used")
        #expect(!estimate.admits(1, limit: 10, tenant: TenantID("globex")!, now: start), "counts are per tenant")
    }

    /// Counts that stay fresh for the whole test, however slowly a loaded machine runs it.
    let lasting = Duration.seconds(3600)

    @Test func requestsThatFindTheCountOldShareOneCount() async throws {
        let estimate = ActiveAlertEstimate(maxAge: lasting)
        #expect(estimate.isStale(acme))
        let counted = Counter()
        let (started, starting) = AsyncStream.makeStream(of: Void.self)
        let (release, releasing) = AsyncStream.makeStream(of: Void.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await estimate.recount(acme) {
                    counted.add()
                    starting.yield()
                    for await _ in release { break }
                    return 7
                }
            }
            for await _ in started { break }
            for _ in 0..<5 {
                group.addTask {
                    try await estimate.recount(acme) {
                        counted.add()
                        return 100
                    }
                }
            }
            while estimate.callersOfRecount(acme) < 6, counted.value == 1 { await Task.yield() }
            releasing.yield()
            try await group.waitForAll()
        }
        #expect(counted.value == 1, "the five callers waited for the count under way")
        #expect(estimate.callersOfRecount(acme) == 0)
        #expect(estimate.admits(3, limit: 10, tenant: acme), "the shared count found 7")
        #expect(!estimate.admits(1, limit: 10, tenant: acme))
    }

    @Test func aCountThatFailsFailsItsWaitersAndTheNextCountRunsAgain() async throws {
        struct Unavailable: Error {}
        let estimate = ActiveAlertEstimate(maxAge: lasting)
        await #expect(throws: Unavailable.self) { try await estimate.recount(acme) { throw Unavailable() } }
        #expect(estimate.isStale(acme), "a failed count records nothing")
        try await estimate.recount(acme) { 4 }
        try await estimate.recount(acme) { 100 }
        #expect(estimate.admits(6, limit: 10, tenant: acme), "a fresh count is not taken again")
        #expect(!estimate.admits(1, limit: 10, tenant: acme))
    }
}

/// How many times the counts of a test ran.
private final class Counter: Sendable {
    private let calls = Mutex(0)
    func add() { calls.withLock { $0 += 1 } }
    var value: Int { calls.withLock { $0 } }
}
