import Synchronization

/// Group commit for one tenant's work on a database server: requests that arrive while a batch is in
/// its transaction wait, and the next batch takes all of them (up to `maxBatch`) in one call
/// of its `run`, so one transaction, a few round trips and one commit serve them all. A lone
/// request starts at once and never waits for a timer. Each request is answered only after
/// its batch's `run` returned, that is after its transaction committed.
///
/// When a batch of several fails, each of its requests runs again alone, so one request the
/// database refuses cannot fail the others; only a batch the database did not answer in time
/// (`StoreError.Code.unavailable`, the provider's deadline) fails every request in it at once,
/// since running them alone would only wait again.
///
/// Every caller of one instance passes the same `run`: a batch runs with the one its first
/// request brought.
///
/// Batches run at high priority: every request waiting for a tenant's next batch waits for the
/// one before it too, so a batch's steps go ahead of request handling queued in the same
/// thread pool.
final class GroupCommit<Request: Sendable, Response: Sendable>: Sendable {
    typealias Run = @Sendable ([Request]) async throws -> [Response]

    private struct Pending: Sendable {
        let request: Request
        let run: Run
        let continuation: CheckedContinuation<Response, any Error>
    }

    private struct State: Sendable {
        var waiting: [Pending] = []
        /// A task is draining `waiting`.
        var draining = false
    }

    private let state = Mutex(State())

    /// The most requests one batch takes; more wait for the next.
    static var maxBatch: Int { 256 }

    /// How many requests wait for the next batch.
    var waiting: Int { state.withLock { $0.waiting.count } }

    /// Runs `request` in the next batch and returns its response once the batch committed.
    /// `run` answers a batch's requests in their order.
    func submit(_ request: Request, run: @escaping Run) async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLock { state -> Bool in
                state.waiting.append(Pending(request: request, run: run, continuation: continuation))
                if state.draining { return false }
                state.draining = true
                return true
            }
            if start { Task(priority: .high) { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Pending] in
                let batch = Array(state.waiting.prefix(Self.maxBatch))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty { state.draining = false }
                return batch
            }
            guard let first = batch.first else { return }
            await commit(batch, with: first.run)
        }
    }

    private func commit(_ batch: [Pending], with run: Run) async {
        do {
            let responses = try await run(batch.map(\.request))
            guard responses.count == batch.count else {
                throw StoreError(.unavailable, "a batch of \(batch.count) was answered \(responses.count) times")
            }
            for (pending, response) in zip(batch, responses) { pending.continuation.resume(returning: response) }
        } catch where batch.count > 1 && (error as? StoreError)?.code != .unavailable {
            for pending in batch { await commit([pending], with: run) }
        } catch {
            for pending in batch { pending.continuation.resume(throwing: error) }
        }
    }
}
