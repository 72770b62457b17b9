import AlertCore
import Synchronization

/// A store's copy of the source reliability and response history it last read for rating, so
/// that rating an alert whose source and group were seen before does not read the database.
///
/// A write that changes either table calls `invalidate()` inside its transaction, and the
/// store calls it again once that transaction committed (`SQLiteTenantStore.write`): a read
/// copies its answer in only when no invalidation happened since it began, so a copy is never
/// older than the last commit that changed what it holds.
final class RatingInputsCache: Sendable {
    private struct State {
        var generation: UInt64 = 0
        var reliability: [String: SourceReliability?] = [:]
        var history: [String: ResponseHistory?] = [:]
    }

    private let state = Mutex(State())
    /// Past this many sources and groups together the copy starts over.
    let capacity: Int

    init(capacity: Int = 4_096) {
        self.capacity = capacity
    }

    /// Counts invalidations: a read notes it before it begins and hands it to `keep`.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// The inputs for `sources` and `groups` when every one of them is copied; nil otherwise.
    func inputs(sources: Set<String>, groups: Set<String>, model: ActionabilityModel?) -> RatingInputs? {
        state.withLock { state in
            var inputs = RatingInputs(model: model)
            for source in sources {
                guard let copied = state.reliability[source] else { return nil }
                inputs.reliability[source] = copied
            }
            for group in groups {
                guard let copied = state.history[group] else { return nil }
                inputs.history[group] = copied
            }
            return inputs
        }
    }

    /// Copies what a read found for `sources` and `groups` (absent ones included), unless an
    /// invalidation happened since `generation`.
    func keep(_ inputs: RatingInputs, sources: Set<String>, groups: Set<String>, readAt generation: UInt64) {
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.reliability.count + state.history.count + sources.count + groups.count > capacity {
                state.reliability = [:]
                state.history = [:]
            }
            for source in sources { state.reliability[source] = .some(inputs.reliability[source]) }
            for group in groups { state.history[group] = .some(inputs.history[group]) }
        }
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
