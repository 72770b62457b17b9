import AlertCore
import Synchronization

/// A store's copy of the source reliability and response history it last read for rating, so
/// that rating an alert whose source and group were seen before does not read the database.
///
/// A write that changes either table calls `invalidate()` inside its transaction, and the
/// store calls it again once that transaction committed: a read copies its answer in only
/// when no invalidation happened since it began, so a copy is never older than the last
/// commit of this process that changed what it holds. With `maxAge` (PostgreSQL, whose other
/// replicas write the same tables), a copy also stops answering once it is that old.
final class RatingInputsCache: Sendable {
    private struct Copy<Value: Sendable>: Sendable {
        var value: Value
        var at: ContinuousClock.Instant
    }

    private struct State {
        var generation: UInt64 = 0
        var reliability: [String: Copy<SourceReliability?>] = [:]
        var history: [String: Copy<ResponseHistory?>] = [:]
    }

    private let state = Mutex(State())
    /// Past this many sources and groups together the copy starts over.
    let capacity: Int
    /// How long a copy answers; nil: until invalidated.
    let maxAge: Duration?

    init(capacity: Int = 4_096, maxAge: Duration? = nil) {
        self.capacity = capacity
        self.maxAge = maxAge
    }

    /// Counts invalidations: a read notes it before it begins and hands it to `keep`.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// The inputs for `sources` and `groups`, with `model`, when every one of them is copied
    /// and young enough; nil otherwise.
    func inputs(sources: Set<String>, groups: Set<String>, model: ActionabilityModel?) -> RatingInputs? {
        let oldest = maxAge.map { ContinuousClock.now - $0 }
        return state.withLock { state in
            var inputs = RatingInputs(model: model)
            for source in sources {
                guard let copied = state.reliability[source], oldest.map({ copied.at > $0 }) ?? true else { return nil }
                inputs.reliability[source] = copied.value
            }
            for group in groups {
                guard let copied = state.history[group], oldest.map({ copied.at > $0 }) ?? true else { return nil }
                inputs.history[group] = copied.value
            }
            return inputs
        }
    }

    /// Copies what a read found for `sources` and `groups` (absent ones included), unless an
    /// invalidation happened since `generation`.
    func keep(_ inputs: RatingInputs, sources: Set<String>, groups: Set<String>, readAt generation: UInt64) {
        let now = ContinuousClock.now
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.reliability.count + state.history.count + sources.count + groups.count > capacity {
                state.reliability = [:]
                state.history = [:]
            }
            for source in sources { state.reliability[source] = Copy(value: inputs.reliability[source], at: now) }
            for group in groups { state.history[group] = Copy(value: inputs.history[group], at: now) }
        }
    }

    /// Runs a store's write; when the write invalidated the copies while it ran, invalidates
    /// them again once it ended (committed or not), so that no read in between keeps what the
    /// commit replaced.
    func write<T>(_ body: () async throws -> T) async rethrows -> T {
        let before = generation
        defer { if generation != before { invalidate() } }
        return try await body()
    }

    /// Forgets every copy and makes the reads in flight keep nothing.
    func invalidate() {
        state.withLock { state in
            state.generation &+= 1
            state.reliability = [:]
            state.history = [:]
        }
    }
}
