import Foundation
import Hummingbird
import NIOCore

/// A request as a fake SaaS API sees it: headers by lower-case name, the first value of each
/// query parameter.
public struct FakeRequest: Sendable {
    public var method: String
    public var path: String
    public var query: [String: String]
    public var headers: [String: String]
    public var body: Data
}

/// What a fake SaaS API answers: a status, a JSON body and, when it throttles, `Retry-After`.
public struct FakeAnswer: Sendable {
    public var status: Int
    public var json: String
    public var retryAfter: String?

    public init(status: Int, json: String, retryAfter: String? = nil) {
        self.status = status
        self.json = json
        self.retryAfter = retryAfter
    }

    /// `object` as JSON with sorted keys.
    public static func json(_ object: [String: Any]) -> String {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension LocalHTTPServer {
    /// Serves every path for `methods` with `answer` on a free loopback port while `body` runs.
    public static func serveAPI<T: Sendable>(
        methods: [HTTPRequest.Method], contentType: String = "application/json;charset=UTF-8",
        _ answer: @escaping @Sendable (FakeRequest) async -> FakeAnswer, _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        let router = Hummingbird.Router()
        for method in methods {
            router.on("**", method: method) { request, _ -> Response in
                var request = request
                let bytes = try await request.collectBody(upTo: 1 << 20)
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                var query: [String: String] = [:]
                for (name, value) in request.uri.queryParameters where query[String(name)] == nil { query[String(name)] = String(value) }
                let answered = await answer(
                    FakeRequest(method: request.method.rawValue, path: request.uri.path, query: query, headers: headers, body: Data(buffer: bytes)))
                var response = Response(
                    status: HTTPResponse.Status(code: answered.status), headers: [.contentType: contentType],
                    body: .init(byteBuffer: ByteBuffer(string: answered.json)))
                if let retryAfter = answered.retryAfter { response.headers[.retryAfter] = retryAfter }
                return response
            }
        }
        return try await serve(router: router, body)
    }
}
