import NIOCore
import Synchronization

/// Resumes a continuation with whichever result arrives first and ignores the rest; the first
/// result also cancels the timer that would have supplied the deadline's.
final class FirstOutcome<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var timer: Scheduled<Void>?
        var done = false
    }

    private let state = Mutex(State())

    func attach(_ continuation: CheckedContinuation<T, any Error>) {
        state.withLock { $0.continuation = continuation }
    }

    /// The timer that finishes with the deadline's failure; cancelled once a result came.
    func attach(timer: Scheduled<Void>) {
        let done = state.withLock { state in
            state.timer = timer
            return state.done
        }
        if done { timer.cancel() }
    }

    /// Resumes with `result` unless another result came first; true when this one won.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let (continuation, timer) = state.withLock { state -> (CheckedContinuation<T, any Error>?, Scheduled<Void>?) in
            guard !state.done else { return (nil, nil) }
            state.done = true
            return (state.continuation, state.timer)
        }
        timer?.cancel()
        continuation?.resume(with: result)
        return continuation != nil
    }
}
