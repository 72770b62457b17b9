import Foundation
import Hummingbird
import NIOCore
import TestSupport

/// Slack as its documentation describes it, for tests.
///
/// `POST /api/chat.postMessage`: a bearer bot token, a JSON body with `channel` and `text` or
/// `blocks`; HTTP 200 with `{"ok": true, "channel", "ts"}`, or HTTP 200 with `{"ok": false,
/// "error"}` (`invalid_auth`, `channel_not_found`, `no_text`, `too_many_blocks` over 50 blocks,
/// `msg_too_long` over 40,000 characters of text, `invalid_blocks` for a block over Block
/// Kit's limits, `internal_error` while `transientFailures` lasts), and 429 with `Retry-After`
/// for the first `rateLimited` calls.
///
/// `POST /services/{team}/{bot}/{secret}` (an incoming webhook at `webhookPath`): HTTP 200
/// `ok`, or HTTP 400 `invalid_blocks` / `too_many_blocks` / `no_text`, HTTP 404 `no_service`
/// for another path.
///
/// Block Kit's limits: a header's plain text at most 150 characters, a section's text at most
/// 3,000, at most 10 fields of at most 2,000 each, a context at most 10 elements.
actor FakeSlackAPI {
    static let webhookPath = "/services/T0001/B0001/XXXXXXXX"

    let token: String
    let channels: Set<String>
    private var rateLimited: Int
    private var transientFailures: Int
    /// The index of a message answered 429 once (as the second of a split group, say).
    private var rateLimitedAt: Int?
    /// The bodies of the messages Slack took.
    private(set) var posted: [Data] = []
    /// When each taken message arrived.
    private(set) var arrivals: [ContinuousClock.Instant] = []

    init(token: String, channels: Set<String>, rateLimited: Int = 0, transientFailures: Int = 0, rateLimitedAt: Int? = nil) {
        self.token = token
        self.channels = channels
        self.rateLimited = rateLimited
        self.transientFailures = transientFailures
        self.rateLimitedAt = rateLimitedAt
    }

    /// Why `blocks` break Block Kit's limits, or nil.
    static func blockProblem(_ blocks: [Any]) -> String? {
        if blocks.count > 50 { return "too_many_blocks" }
        for case let block as [String: Any] in blocks {
            let text = (block["text"] as? [String: Any])?["text"] as? String
            switch block["type"] as? String {
            case "header":
                guard (block["text"] as? [String: Any])?["type"] as? String == "plain_text", let text, (1...150).contains(text.utf16.count)
                else { return "invalid_blocks" }
            case "section":
                let fields = block["fields"] as? [[String: Any]]
                guard text != nil || fields != nil else { return "invalid_blocks" }
                if let text, !(1...3_000).contains(text.utf16.count) { return "invalid_blocks" }
                if let fields {
                    guard fields.count <= 10, fields.allSatisfy({ (1...2_000).contains(($0["text"] as? String)?.utf16.count ?? 0) }) else {
                        return "invalid_blocks"
                    }
                }
            case "context":
                guard let elements = block["elements"] as? [Any], (1...10).contains(elements.count) else { return "invalid_blocks" }
            case "divider":
                break
            default:
                return "invalid_blocks"
            }
        }
        return nil
    }

    func answer(authorization: String?, contentType: String?, body: Data) -> (status: Int, json: String, retryAfter: String?) {
        if rateLimited > 0 || rateLimitedAt == posted.count {
            if rateLimited > 0 { rateLimited -= 1 } else { rateLimitedAt = nil }
            return (429, #"{"ok": false, "error": "ratelimited"}"#, "2")
        }
        guard authorization == "Bearer \(token)" else { return (200, #"{"ok": false, "error": "invalid_auth"}"#, nil) }
        guard contentType?.hasPrefix("application/json") == true,
            let message = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        else { return (200, #"{"ok": false, "error": "invalid_arguments"}"#, nil) }
        guard let channel = message["channel"] as? String, channels.contains(channel) else {
            return (200, #"{"ok": false, "error": "channel_not_found"}"#, nil)
        }
        let text = message["text"] as? String
        let blocks = message["blocks"] as? [Any]
        guard text?.isEmpty == false || blocks?.isEmpty == false else { return (200, #"{"ok": false, "error": "no_text"}"#, nil) }
        if (text?.utf16.count ?? 0) > 40_000 { return (200, #"{"ok": false, "error": "msg_too_long"}"#, nil) }
        if let problem = Self.blockProblem(blocks ?? []) { return (200, #"{"ok": false, "error": "\#(problem)"}"#, nil) }
        if transientFailures > 0 {
            transientFailures -= 1
            return (200, #"{"ok": false, "error": "internal_error"}"#, nil)
        }
        posted.append(body)
        arrivals.append(.now)
        return (200, #"{"ok": true, "channel": "\#(channel)", "ts": "1800000000.000\#(posted.count)"}"#, nil)
    }

    func incoming(path: String, body: Data) -> (status: Int, text: String) {
        guard path == Self.webhookPath else { return (404, "no_service") }
        guard let message = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return (400, "invalid_payload") }
        let text = message["text"] as? String
        let blocks = message["blocks"] as? [Any]
        guard text?.isEmpty == false || blocks?.isEmpty == false else { return (400, "no_text") }
        if let problem = Self.blockProblem(blocks ?? []) { return (400, problem) }
        posted.append(body)
        arrivals.append(.now)
        return (200, "ok")
    }

    func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Hummingbird.Router()
        router.post("api/chat.postMessage") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            let answer = await self.answer(
                authorization: request.headers[.authorization], contentType: request.headers[.contentType], body: Data(buffer: bytes))
            var response = Response(
                status: HTTPResponse.Status(code: answer.status), headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: answer.json)))
            if let retryAfter = answer.retryAfter { response.headers[.retryAfter] = retryAfter }
            return response
        }
        router.post("services/**") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            let answer = await self.incoming(path: request.uri.path, body: Data(buffer: bytes))
            return Response(
                status: HTTPResponse.Status(code: answer.status), headers: [.contentType: "text/html"],
                body: .init(byteBuffer: ByteBuffer(string: answer.text)))
        }
        return try await LocalHTTPServer.serve(router: router, body)
    }
}
