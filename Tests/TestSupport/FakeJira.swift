import Foundation
import Hummingbird
import NIOCore

/// Jira Cloud's REST API (version 2) as its documentation describes it, for tests:
///
/// - every call needs the configured credentials (`Authorization: Basic base64(email:token)`
///   or `Bearer token`), else 401; a body must be `application/json`, else 415;
/// - `GET /rest/api/2/search/jql?jql=…&fields=…&maxResults=…` (the enhanced search; the
///   removed `/rest/api/2/search` answers 410) understands `project = "X"`, `labels = "Y"` and
///   `statusCategory != Done` (or `= Done`) joined with `AND`, and `ORDER BY …`; a query
///   without a project or label restriction is unbounded and refused;
/// - `POST /rest/api/2/issue` needs `fields.project.key` (a known project),
///   `fields.summary` (one line, at most 255 characters), `fields.issuetype.name` (a known
///   type) and takes `description`, `labels` (no spaces) and `priority`; 201 `{"id", "key",
///   "self"}`;
/// - `POST /rest/api/2/issue/{key}/comment` with a non-empty `body`; 201;
/// - `GET /rest/api/2/issue/{key}/transitions` lists To Do, In Progress and Done;
///   `POST /rest/api/2/issue/{key}/transitions` with `transition.id` (and optionally
///   `update.comment[].add.body`); 204;
///
/// failures as Jira shapes them, `{"errorMessages": [...], "errors": {field: message}}`, and
/// 429 with `Retry-After` for the first `rateLimited` calls.
public actor FakeJira {
    /// How a caller authenticates.
    public enum Credentials: Sendable {
        case basic(email: String, apiToken: String)
        case bearer(String)

        var header: String {
            switch self {
            case .basic(let email, let token): "Basic " + Data("\(email):\(token)".utf8).base64EncodedString()
            case .bearer(let token): "Bearer \(token)"
            }
        }
    }

    /// An issue as the fake keeps it.
    public struct Issue: Sendable {
        public var id: String
        public var key: String
        public var project: String
        public var summary: String
        public var description: String?
        public var issueType: String
        public var labels: [String]
        public var status: String
        /// `new`, `indeterminate` or `done`.
        public var statusCategory: String
        public var comments: [String]
    }

    /// One call the fake answered.
    public struct Call: Sendable, Equatable {
        public var method: String
        public var path: String
        public var status: Int
    }

    /// The workflow: transition id, name, target status and its category.
    static let workflow: [(id: String, name: String, status: String, category: String)] = [
        ("11", "To Do", "To Do", "new"), ("21", "In Progress", "In Progress", "indeterminate"), ("31", "Done", "Done", "done"),
    ]
    static let issueTypes: Set<String> = ["Bug", "Task", "Incident"]
    static let issueFields: Set<String> = ["project", "summary", "description", "issuetype", "labels", "priority"]

    let credentials: Credentials
    let projects: Set<String>
    private var rateLimited: Int
    public private(set) var issues: [Issue] = []
    public private(set) var calls: [Call] = []

    public init(credentials: Credentials, projects: Set<String>, rateLimited: Int = 0) {
        self.credentials = credentials
        self.projects = projects
        self.rateLimited = rateLimited
    }

    /// The issues that carry `label`.
    public func issues(labeled label: String) -> [Issue] {
        issues.filter { $0.labels.contains(label) }
    }

    func handle(method: String, path: String, query: [String: String], headers: [String: String], body: Data) -> FakeAnswer {
        let answer = respond(method: method, path: path, query: query, headers: headers, body: body)
        calls.append(Call(method: method, path: path, status: answer.status))
        return answer
    }

    func respond(method: String, path: String, query: [String: String], headers: [String: String], body: Data) -> FakeAnswer {
        if rateLimited > 0 {
            rateLimited -= 1
            return FakeAnswer(status: 429, json: Self.errors(["Rate limit exceeded."]), retryAfter: "7")
        }
        guard headers["authorization"] == credentials.header else {
            return FakeAnswer(status: 401, json: Self.errors(["You are not authenticated. Authentication required to perform this operation."]))
        }
        if method == "POST" || method == "PUT", headers["content-type"]?.hasPrefix("application/json") != true {
            return FakeAnswer(status: 415, json: Self.errors(["Unsupported Media Type: the body must be application/json."]))
        }
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count > 3, parts[0] == "rest", parts[1] == "api", parts[2] == "2" else {
            return FakeAnswer(status: 404, json: Self.errors(["No resource at \(path)."]))
        }
        let rest = Array(parts.dropFirst(3))
        if rest == ["search"] {
            return FakeAnswer(
                status: 410,
                json: Self.errors([
                    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API. A full migration guideline is available at https://developer.atlassian.com/changelog/#CHANGE-2046"
                ]))
        }
        if method == "GET", rest == ["search", "jql"] { return search(query) }
        if method == "POST", rest == ["issue"] { return create(body) }
        if rest.count == 3, rest[0] == "issue" {
            switch (method, rest[2]) {
            case ("POST", "comment"): return comment(on: rest[1], body)
            case ("GET", "transitions"): return transitions(of: rest[1])
            case ("POST", "transitions"): return transition(rest[1], body)
            default: break
            }
        }
        return FakeAnswer(status: 404, json: Self.errors(["No resource for \(method) \(path)."]))
    }

    func search(_ query: [String: String]) -> FakeAnswer {
        guard let jql = query["jql"], !jql.isEmpty else {
            return FakeAnswer(
                status: 400, json: Self.errors(["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."]))
        }
        var clauses = jql
        if let order = jql.range(of: " ORDER BY ", options: .caseInsensitive) { clauses = String(jql[..<order.lowerBound]) }
        var project: String?
        var label: String?
        var done: Bool?
        for clause in clauses.components(separatedBy: " AND ") {
            let text = clause.trimmingCharacters(in: .whitespaces)
            let negated = text.contains("!=")
            guard let operatorRange = text.range(of: negated ? "!=" : "=") else {
                return FakeAnswer(status: 400, json: Self.errors(["Error in the JQL Query: cannot read '\(text)'."]))
            }
            let field = text[..<operatorRange.lowerBound].trimmingCharacters(in: .whitespaces).lowercased()
            var value = text[operatorRange.upperBound...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
            }
            switch (field, negated) {
            case ("project", false):
                guard projects.contains(value) else {
                    return FakeAnswer(status: 400, json: Self.errors(["The value '\(value)' does not exist for the field 'project'."]))
                }
                project = value
            case ("labels", false):
                label = value
            case ("statuscategory", _) where value.lowercased() == "done":
                done = !negated
            default:
                return FakeAnswer(status: 400, json: Self.errors(["Field '\(field)' does not exist or you do not have permission to view it."]))
            }
        }
        guard project != nil || label != nil else {
            return FakeAnswer(
                status: 400, json: Self.errors(["Unbounded JQL queries are not allowed here. Please add a search restriction to your query."]))
        }
        let limit = Int(query["maxResults"] ?? "") ?? 50
        let found = issues.reversed().filter { issue in
            (project.map { issue.project == $0 } ?? true) && (label.map { issue.labels.contains($0) } ?? true)
                && (done.map { (issue.statusCategory == "done") == $0 } ?? true)
        }
        let listed: [[String: Any]] = found.prefix(limit).map { issue in
            let status: [String: Any] = ["name": issue.status, "statusCategory": ["key": issue.statusCategory]]
            return ["id": issue.id, "key": issue.key, "fields": ["status": status]]
        }
        return FakeAnswer(status: 200, json: FakeAnswer.json(["issues": listed, "isLast": true]))
    }

    func create(_ body: Data) -> FakeAnswer {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let fields = object["fields"] as? [String: Any] else {
            return FakeAnswer(status: 400, json: Self.errors(["The request body is not a JSON object with fields."]))
        }
        var errors: [String: String] = [:]
        for key in fields.keys where !Self.issueFields.contains(key) {
            errors[key] = "Field '\(key)' cannot be set. It is not on the appropriate screen, or unknown."
        }
        let project = (fields["project"] as? [String: Any])?["key"] as? String
        if project == nil {
            errors["project"] = "project is required"
        } else if !projects.contains(project!) {
            errors["project"] = "valid project is required"
        }
        let summary = fields["summary"] as? String ?? ""
        if summary.trimmingCharacters(in: .whitespaces).isEmpty {
            errors["summary"] = "You must specify a summary of the issue."
        } else if summary.count > 255 {
            errors["summary"] = "Summary must be less than 255 characters."
        } else if summary.contains(where: \.isNewline) {
            errors["summary"] = "The summary is invalid because it contains newline characters."
        }
        let issueType = (fields["issuetype"] as? [String: Any])?["name"] as? String
        if issueType == nil {
            errors["issuetype"] = "Specify an issue type"
        } else if !Self.issueTypes.contains(issueType!) {
            errors["issuetype"] = "Specify a valid issue type"
        }
        if let description = fields["description"], !(description is String) {
            errors["description"] = "Operation value must be a string"
        }
        var labels: [String] = []
        if let value = fields["labels"] {
            if let strings = value as? [String] {
                labels = strings
                if let bad = strings.first(where: { $0.isEmpty || $0.count > 255 || $0.contains(where: \.isWhitespace) }) {
                    errors["labels"] = "The label '\(bad)' contains spaces which is invalid."
                }
            } else {
                errors["labels"] = "Operation value must be a list of strings"
            }
        }
        guard errors.isEmpty, let projectKey = project, let typeName = issueType else {
            return FakeAnswer(status: 400, json: FakeAnswer.json(["errorMessages": [String](), "errors": errors]))
        }
        let number = issues.filter { $0.project == projectKey }.count + 1
        let issue = Issue(
            id: String(10_000 + issues.count), key: "\(projectKey)-\(number)", project: projectKey, summary: summary,
            description: fields["description"] as? String, issueType: typeName, labels: labels, status: "To Do", statusCategory: "new",
            comments: [])
        issues.append(issue)
        return FakeAnswer(
            status: 201, json: FakeAnswer.json(["id": issue.id, "key": issue.key, "self": "https://jira.invalid/rest/api/2/issue/\(issue.id)"]))
    }

    func comment(on key: String, _ body: Data) -> FakeAnswer {
        guard let index = issues.firstIndex(where: { $0.key == key }) else { return Self.noIssue }
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let text = object["body"] as? String,
            !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else {
            return FakeAnswer(status: 400, json: FakeAnswer.json(["errorMessages": [String](), "errors": ["comment": "Comment body can not be empty!"]]))
        }
        issues[index].comments.append(text)
        return FakeAnswer(status: 201, json: FakeAnswer.json(["id": String(issues[index].comments.count), "body": text]))
    }

    func transitions(of key: String) -> FakeAnswer {
        guard let issue = issues.first(where: { $0.key == key }) else { return Self.noIssue }
        let offered: [[String: Any]] = Self.workflow.filter { $0.status != issue.status }.map { step in
            let target: [String: Any] = ["name": step.status, "statusCategory": ["key": step.category]]
            return ["id": step.id, "name": step.name, "to": target]
        }
        return FakeAnswer(status: 200, json: FakeAnswer.json(["expand": "transitions", "transitions": offered]))
    }

    func transition(_ key: String, _ body: Data) -> FakeAnswer {
        guard let index = issues.firstIndex(where: { $0.key == key }) else { return Self.noIssue }
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let id = (object?["transition"] as? [String: Any])?["id"] as? String
        guard let step = Self.workflow.first(where: { $0.id == id && $0.status != issues[index].status }) else {
            return FakeAnswer(status: 400, json: Self.errors(["Transition id '\(id ?? "")' is not valid for this issue."]))
        }
        let comments = ((object?["update"] as? [String: Any])?["comment"] as? [[String: Any]]) ?? []
        for comment in comments {
            guard let text = (comment["add"] as? [String: Any])?["body"] as? String, !text.isEmpty else {
                return FakeAnswer(status: 400, json: FakeAnswer.json(["errorMessages": [String](), "errors": ["comment": "Comment body can not be empty!"]]))
            }
            issues[index].comments.append(text)
        }
        issues[index].status = step.status
        issues[index].statusCategory = step.category
        return FakeAnswer(status: 204, json: "")
    }

    static let noIssue = FakeAnswer(status: 404, json: errors(["Issue does not exist or you do not have permission to see it."]))

    static func errors(_ messages: [String]) -> String {
        FakeAnswer.json(["errorMessages": messages, "errors": [String: String]()])
    }


    /// Serves the API on a free loopback port while `body` runs.
    public func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        try await LocalHTTPServer.serveAPI(methods: [.get, .post, .put], { request in
            await self.handle(method: request.method, path: request.path, query: request.query, headers: request.headers, body: request.body)
        }, body)
    }
}
