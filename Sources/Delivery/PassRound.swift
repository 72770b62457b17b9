import Synchronization

/// The passes a `WorkSchedule` started together, so that its worker can wait for them to end,
/// for a while at most.
final class PassRound: Sendable {
    private let state: Mutex<(left: Int, waiter: CheckedContinuation<Void, Never>?)>

    init(passes: Int) {
        state = Mutex((passes, nil))
    }

    /// One pass of the round has ended.
    func ended() {
        state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.left -= 1
            guard state.left == 0 else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }?.resume()
    }

    /// Returns when every pass of the round has ended, after `limit` at the latest, or when
    /// the task is cancelled.
    func wait(atMost limit: Duration) async {
        guard state.withLock({ $0.left > 0 }) else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.allEnded() }
            group.addTask { try? await Task.sleep(for: limit) }
            await group.next()
            group.cancelAll()
        }
    }

    private func allEnded() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let over = state.withLock { state -> Bool in
                    if state.left == 0 || Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if over { continuation.resume() }
            }
        } onCancel: {
            state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }?.resume()
        }
    }
}
