import Synchronization

/// Holds whatever passes it (a batch, a transaction) until released; `started` says that
/// something reached it.
final class Gate: Sendable {
    private let state = Mutex<(started: Bool, released: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, false, []))

    func pass() async {
        await withCheckedContinuation { continuation in
            let open = state.withLock { state -> Bool in
                state.started = true
                if state.released { return true }
                state.waiters.append(continuation)
                return false
            }
            if open { continuation.resume() }
        }
    }

    var started: Bool { state.withLock { $0.started } }

    func release() {
        let waiters = state.withLock { state in
            state.released = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}
