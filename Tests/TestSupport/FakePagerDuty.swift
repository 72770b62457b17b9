import Foundation
import Hummingbird
import NIOCore

/// PagerDuty's Events API v2 as its documentation describes it, for tests: `POST /v2/enqueue`
/// with a JSON event; 202 `{"status": "success", "message": "Event processed", "dedup_key"}`
/// for a valid one, 400 `{"status": "invalid event", ...}` for an invalid one (routing key not
/// 32 characters, unknown `event_action`, `dedup_key` over 255 characters or missing for
/// acknowledge/resolve, a trigger without `payload.summary` (at most 1024 characters),
/// `payload.source` or a valid `payload.severity`, `custom_details` that is not an object,
/// links without `href`, an event over 512 KB), and 429 with `Retry-After` for the first
/// `rateLimited` events. Like PagerDuty it keeps one alert per `dedup_key`: a trigger opens it
/// (or adds to the open one), a resolve resolves it.
public actor FakePagerDuty {
    /// Every accepted event's body.
    public private(set) var accepted: [Data] = []
    public private(set) var refused = 0
    /// The state of each PagerDuty alert by `dedup_key`: `triggered` or `resolved`.
    public private(set) var alerts: [String: String] = [:]
    private var rateLimited: Int

    public init(rateLimited: Int = 0) {
        self.rateLimited = rateLimited
    }

    /// Checks an event against the Events API v2 rules; nil when it is valid.
    static func problem(_ event: [String: Any], size: Int) -> String? {
        guard size <= 512 * 1024 else { return "event is larger than 512 KB" }
        guard let key = event["routing_key"] as? String, key.count == 32 else { return "routing_key must be a 32-character integration key" }
        guard let action = event["event_action"] as? String, ["trigger", "acknowledge", "resolve"].contains(action) else {
            return "event_action must be trigger, acknowledge or resolve"
        }
        let dedupKey = event["dedup_key"] as? String
        if let dedupKey, dedupKey.count > 255 { return "dedup_key is longer than 255 characters" }
        if action != "trigger", dedupKey == nil { return "dedup_key is required for \(action)" }
        if let value = event["links"] {
            guard let links = value as? [[String: Any]], links.allSatisfy({ $0["href"] is String }) else { return "links must have an href" }
        }
        guard action == "trigger" else { return nil }
        guard let payload = event["payload"] as? [String: Any] else { return "payload is required for trigger" }
        guard let summary = payload["summary"] as? String, (1...1_024).contains(summary.count) else { return "payload.summary is invalid" }
        guard let source = payload["source"] as? String, !source.isEmpty else { return "payload.source is required" }
        guard let severity = payload["severity"] as? String, ["critical", "error", "warning", "info"].contains(severity) else {
            return "payload.severity must be critical, error, warning or info"
        }
        if let details = payload["custom_details"], !(details is [String: Any]) { return "payload.custom_details must be an object" }
        return nil
    }

    func take(_ body: Data) -> (status: Int, json: String, retryAfter: String?) {
        if rateLimited > 0 {
            rateLimited -= 1
            return (429, #"{"status": "throttle event", "message": "Requests for this service are arriving too quickly."}"#, "1")
        }
        guard let event = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            refused += 1
            return (400, #"{"status": "invalid event", "message": "Event object is invalid", "errors": ["not JSON"]}"#, nil)
        }
        if let problem = Self.problem(event, size: body.count) {
            refused += 1
            return (400, #"{"status": "invalid event", "message": "Event object is invalid", "errors": ["\#(problem)"]}"#, nil)
        }
        accepted.append(body)
        let dedupKey = event["dedup_key"] as? String ?? UUID().uuidString
        switch event["event_action"] as? String {
        case "trigger": alerts[dedupKey] = "triggered"
        case "resolve" where alerts[dedupKey] != nil: alerts[dedupKey] = "resolved"
        default: break
        }
        return (202, #"{"status": "success", "message": "Event processed", "dedup_key": "\#(dedupKey)"}"#, nil)
    }

    /// Serves `POST /v2/enqueue` on a free loopback port while `body` runs.
    public func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Hummingbird.Router()
        router.post("v2/enqueue") { request, _ -> Response in
            var request = request
            let answer = await self.take(Data(buffer: try await request.collectBody(upTo: 1 << 20)))
            var response = Response(
                status: HTTPResponse.Status(code: answer.status), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: answer.json)))
            if let retryAfter = answer.retryAfter { response.headers[.retryAfter] = retryAfter }
            return response
        }
        return try await LocalHTTPServer.serve(router: router, body)
    }
}
