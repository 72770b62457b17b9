import AlertCore
import Synchronization
import Testing

@Suite struct ConcurrentMapTests {
    /// How many transforms run at once, and the most that ever did.
    final class Running: Sendable {
        private let state = Mutex((now: 0, most: 0))
        func enter() { state.withLock { $0.now += 1; $0.most = max($0.most, $0.now) } }
        func leave() { state.withLock { $0.now -= 1 } }
        var most: Int { state.withLock { $0.most } }
    }

    @Test(arguments: [1, 3, 8, 100])
    func keepsTheOrderAndRunsAtMostWidthAtATime(width: Int) async {
        let running = Running()
        let input = Array(0..<40)
        let output = await input.concurrentMap(width: width) { value in
            running.enter()
            defer { running.leave() }
            try? await Task.sleep(for: .milliseconds((40 - value) % 7))
            return value * 2
        }
        #expect(output == input.map { $0 * 2 })
        #expect(running.most <= min(width, input.count))
        if width > 1 { #expect(running.most > 1, "several ran at once") }
    }

    @Test func anEmptyCollectionGivesNothing() async {
        let output = await [Int]().concurrentMap(width: 4) { $0 }
        #expect(output.isEmpty)
    }
}
