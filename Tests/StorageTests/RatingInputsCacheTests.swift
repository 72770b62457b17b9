import AlertCore
import Foundation
import Testing

@testable import Storage

@Suite struct RatingInputsCacheTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func answersOnlyWhenEverySourceAndGroupIsCopiedAbsentOnesIncluded() {
        let cache = RatingInputsCache()
        let read = RatingInputs(reliability: ["prometheus": SourceReliability(actionable: 2, updatedAt: now)])
        cache.keep(read, sources: ["prometheus", "grafana"], groups: ["DiskFull"], readAt: cache.generation)
        let copied = cache.inputs(sources: ["prometheus", "grafana"], groups: ["DiskFull"], model: nil)
        #expect(copied?.reliability["prometheus"]?.actionable == 2)
        #expect(copied?.reliability.keys.contains("grafana") == false, "known to have no row")
        #expect(copied?.history.isEmpty == true)
        #expect(cache.inputs(sources: ["prometheus"], groups: ["Other"], model: nil) == nil, "a group not read yet")
        #expect(cache.inputs(sources: ["loki"], groups: [], model: nil) == nil, "a source not read yet")
    }

    @Test func aReadThatBeganBeforeAnInvalidationKeepsNothing() {
        let cache = RatingInputsCache()
        let began = cache.generation
        cache.invalidate()
        cache.keep(RatingInputs(), sources: ["prometheus"], groups: [], readAt: began)
        #expect(cache.inputs(sources: ["prometheus"], groups: [], model: nil) == nil)
        cache.keep(RatingInputs(), sources: ["prometheus"], groups: [], readAt: cache.generation)
        #expect(cache.inputs(sources: ["prometheus"], groups: [], model: nil) != nil)
        cache.invalidate()
        #expect(cache.inputs(sources: ["prometheus"], groups: [], model: nil) == nil, "an invalidation forgets the copies")
    }

    @Test func startsOverPastItsCapacity() {
        let cache = RatingInputsCache(capacity: 3)
        cache.keep(RatingInputs(), sources: ["a", "b"], groups: [], readAt: cache.generation)
        cache.keep(RatingInputs(), sources: ["c", "d"], groups: [], readAt: cache.generation)
        #expect(cache.inputs(sources: ["a"], groups: [], model: nil) == nil)
        #expect(cache.inputs(sources: ["c", "d"], groups: [], model: nil) != nil)
    }

    @Test func aCopyOlderThanItsMaxAgeNoLongerAnswers() async throws {
        let cache = RatingInputsCache(maxAge: .milliseconds(300))
        cache.keep(RatingInputs(), sources: ["prometheus"], groups: [], readAt: cache.generation)
        try await Task.sleep(for: .milliseconds(400))
        #expect(cache.inputs(sources: ["prometheus"], groups: [], model: nil) == nil)
        #expect(RatingInputsCache().maxAge == nil, "without one, a copy answers until invalidated")
    }
}
