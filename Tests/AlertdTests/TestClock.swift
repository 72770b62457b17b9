import Foundation
import Synchronization

/// The wall clock moved forward by hand, for the API's `now`: a test can let half an hour pass
/// between two requests.
final class TestClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    var now: @Sendable () -> Date {
        { Date().addingTimeInterval(self.offset.withLock { $0 }) }
    }

    func advance(by seconds: TimeInterval) {
        offset.withLock { $0 += seconds }
    }
}
