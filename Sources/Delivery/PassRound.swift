import Synchronization

/// The passes a `WorkSchedule` started together, so that its worker can wait for them to end,
/// for a while at most.
final class PassRound: Sendable {
    private let left: Mutex<Int>
    private let allEnded = Wakeup()

    init(passes: Int) {
        left = Mutex(passes)
    }

    /// One pass of the round has ended.
    func ended() {
        if left.withLock({ left in
            left -= 1
            return left == 0
        }) {
            allEnded.signal()
        }
    }

    /// Returns when every pass of the round has ended, after `limit` at the latest, or when
    /// the task is cancelled.
    func wait(atMost limit: Duration) async {
        guard left.withLock({ $0 > 0 }) else { return }
        await allEnded.wait(atMost: limit)
    }
}
