import Hummingbird
import Synchronization

/// A local HTTP endpoint that takes requests and answers none of them until `release()` (then
/// 200): a sink that hangs, as one does until the sender's timeout.
public final class HangingReceiver: Sendable {
    private let state = Mutex((taken: 0, released: false))

    public init() {}

    /// How many requests came in.
    public var taken: Int { state.withLock { $0.taken } }

    /// Answers the requests held and every later one.
    public func release() { state.withLock { $0.released = true } }

    /// Listens on a free port of the loopback interface while `body` runs, then releases
    /// whatever it still holds.
    public func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Hummingbird.Router()
        router.post("**") { request, _ -> Response in
            var request = request
            _ = try await request.collectBody(upTo: 1 << 20)
            self.state.withLock { $0.taken += 1 }
            while !self.state.withLock({ $0.released }) {
                try await Task.sleep(for: .milliseconds(10))
            }
            return Response(status: .ok)
        }
        return try await LocalHTTPServer.serve(router: router) { port in
            defer { self.release() }
            return try await body(port)
        }
    }
}
