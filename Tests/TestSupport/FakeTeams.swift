import Foundation
import Hummingbird
import NIOCore

/// A Microsoft Teams Workflows webhook ("When a Teams webhook request is received") as Teams
/// and Power Automate document it, for tests: `POST {path}?…&sig={signature}` (a wrong
/// signature is 401, another path 404) with an `application/json` body (else 415) of at most
/// 28 KB (else 413) shaped `{"type": "message", "attachments": [{"contentType":
/// "application/vnd.microsoft.card.adaptive", "contentUrl": null, "content": {"type":
/// "AdaptiveCard", "version": "1.0"…"1.5", "body": [...]}}]}` whose body elements are known
/// Adaptive Card elements (a TextBlock with `text`, a FactSet with `facts` of `title` and
/// `value`, a Container with `items`), else 400; 202 Accepted with an empty body when it
/// takes the message; 429 with `Retry-After` for the first `rateLimited` calls.
public actor FakeTeams {
    /// Teams' limit on a message, in bytes.
    public static let sizeLimit = 28 * 1024
    /// The path of the flow's trigger.
    public static let path = "/workflows/0a1b2c3d/triggers/manual/paths/invoke"
    static let elements: Set<String> = [
        "TextBlock", "FactSet", "Container", "ColumnSet", "Column", "Image", "ImageSet", "ActionSet", "RichTextBlock", "Table",
    ]

    let signature: String
    private var rateLimited: Int
    /// The bodies of the messages the flow took.
    public private(set) var accepted: [Data] = []
    /// The status of every answer.
    public private(set) var answers: [Int] = []

    public init(signature: String, rateLimited: Int = 0) {
        self.signature = signature
        self.rateLimited = rateLimited
    }

    /// The webhook URL a flow with this signature shows, on `port`.
    public nonisolated func url(port: Int) -> String {
        "http://127.0.0.1:\(port)\(Self.path)?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=\(signature)"
    }

    func take(path: String, query: [String: String], contentType: String?, body: Data) -> (status: Int, json: String, retryAfter: String?) {
        let answer = respond(path: path, query: query, contentType: contentType, body: body)
        answers.append(answer.status)
        return answer
    }

    func respond(path: String, query: [String: String], contentType: String?, body: Data) -> (status: Int, json: String, retryAfter: String?) {
        if rateLimited > 0 {
            rateLimited -= 1
            return (429, Self.error("WorkflowRequestsThrottled", "The flow is being throttled."), "3")
        }
        guard path == Self.path else { return (404, Self.error("WorkflowNotFound", "The workflow could not be found."), nil) }
        guard query["sig"] == signature else {
            return (401, Self.error("DirectApiInvalidAuthorizationSignature", "The provided authorization signature is not valid."), nil)
        }
        guard contentType?.hasPrefix("application/json") == true else {
            return (415, Self.error("UnsupportedMediaType", "The content type must be application/json."), nil)
        }
        guard body.count <= Self.sizeLimit else {
            return (413, Self.error("RequestEntityTooLarge", "The message is \(body.count) bytes; the limit is \(Self.sizeLimit)."), nil)
        }
        if let wrong = Self.problem(body) {
            return (400, Self.error("TriggerInputSchemaMismatch", wrong), nil)
        }
        accepted.append(body)
        return (202, "", nil)
    }

    /// What is wrong with the message, or nil.
    static func problem(_ body: Data) -> String? {
        guard let message = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return "the body is not a JSON object" }
        guard message["type"] as? String == "message" else { return "type must be message" }
        guard let attachments = message["attachments"] as? [[String: Any]], !attachments.isEmpty else {
            return "attachments must be a non-empty list"
        }
        for attachment in attachments {
            guard attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive" else {
                return "contentType must be application/vnd.microsoft.card.adaptive"
            }
            guard attachment.keys.contains("contentUrl"), attachment["contentUrl"] is NSNull || attachment["contentUrl"] is String else {
                return "contentUrl must be given (null)"
            }
            guard let card = attachment["content"] as? [String: Any], card["type"] as? String == "AdaptiveCard" else {
                return "content must be an AdaptiveCard"
            }
            guard let version = card["version"] as? String, ["1.0", "1.1", "1.2", "1.3", "1.4", "1.5"].contains(version) else {
                return "the card version must be 1.0 to 1.5"
            }
            guard let elements = card["body"] as? [[String: Any]], !elements.isEmpty else { return "the card body must be a non-empty list" }
            if let wrong = elementProblem(elements) { return wrong }
        }
        return nil
    }

    /// What is wrong with a list of card elements, or nil.
    static func elementProblem(_ elements: [[String: Any]]) -> String? {
        for element in elements {
            guard let type = element["type"] as? String, Self.elements.contains(type) else {
                return "unknown card element \(element["type"] as? String ?? "(none)")"
            }
            switch type {
            case "TextBlock":
                guard let text = element["text"] as? String, !text.isEmpty else { return "a TextBlock needs text" }
            case "FactSet":
                guard let facts = element["facts"] as? [[String: Any]], facts.allSatisfy({ $0["title"] is String && $0["value"] is String })
                else { return "a FactSet needs facts with title and value" }
            case "Container":
                guard let items = element["items"] as? [[String: Any]] else { return "a Container needs items" }
                if let wrong = elementProblem(items) { return wrong }
            default:
                break
            }
        }
        return nil
    }

    static func error(_ code: String, _ message: String) -> String {
        let object = ["error": ["code": code, "message": message]]
        return FakeAnswer.json(object)
    }

    /// Serves the webhook on a free loopback port while `body` runs.
    public func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        try await LocalHTTPServer.serveAPI(methods: [.post], contentType: "application/json", { request in
            let answer = await self.take(path: request.path, query: request.query, contentType: request.headers["content-type"], body: request.body)
            return FakeAnswer(status: answer.status, json: answer.json, retryAfter: answer.retryAfter)
        }, body)
    }
}
