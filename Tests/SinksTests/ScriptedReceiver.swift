import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A local HTTP endpoint standing in for a sink: answers with scripted statuses (then 200)
/// and keeps every request it got.
actor ScriptedReceiver {
    struct Received: Sendable {
        var path: String
        var headers: [String: String]
        var body: Data
    }

    private var script: [(status: Int, retryAfter: String?)]
    private(set) var received: [Received] = []

    init(script: [(status: Int, retryAfter: String?)] = []) {
        self.script = script
    }

    func take(_ request: Received) -> (status: Int, retryAfter: String?) {
        received.append(request)
        return script.isEmpty ? (200, nil) : script.removeFirst()
    }

    /// Runs the receiver on a free loopback port for the duration of `body`.
    func serve(_ body: @Sendable (Int) async throws -> Void) async throws {
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
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body(try #require(client.port))
        }
    }
}
