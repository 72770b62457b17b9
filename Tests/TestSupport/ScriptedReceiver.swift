import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A local HTTP endpoint standing in for a sink: answers with scripted statuses (then 200)
/// and keeps every request it got.
public actor ScriptedReceiver {
    public struct Received: Sendable {
        public var path: String
        /// Header names in lowercase.
        public var headers: [String: String]
        public var body: Data
    }

    private var script: [(status: Int, retryAfter: String?)]
    public private(set) var received: [Received] = []

    public init(script: [(status: Int, retryAfter: String?)] = []) {
        self.script = script
    }

    func take(_ request: Received) -> (status: Int, retryAfter: String?) {
        received.append(request)
        return script.isEmpty ? (200, nil) : script.removeFirst()
    }

    /// Listens on `port` of the loopback interface (0 picks a free one) while `body` runs.
    public func serve<T: Sendable>(port: Int = 0, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Hummingbird.Router()
        router.post("**") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            let answer = await self.take(Received(path: request.uri.path, headers: headers, body: Data(buffer: bytes)))
            var response = Response(
                status: HTTPResponse.Status(code: answer.status),
                body: .init(byteBuffer: ByteBuffer(string: answer.status == 200 ? "ok" : "no")))
            if let retryAfter = answer.retryAfter { response.headers[.retryAfter] = retryAfter }
            return response
        }
        return try await LocalHTTPServer.serve(router: router, port: port, body)
    }
}
