import Foundation
import Hummingbird
import NIOCore

/// ServiceNow's Table API on the `incident` table as its documentation describes it, for tests:
///
/// - every call needs `Authorization: Basic base64(username:password)`, else 401
///   `{"error": {"message": "User Not Authenticated", "detail": "Required to provide Auth
///   information"}, "status": "failure"}`; `Accept` must allow `application/json` (else 406)
///   and a body must be `application/json` (else 415);
/// - `GET /api/now/table/incident?sysparm_query=…&sysparm_limit=…&sysparm_fields=…` with an
///   encoded query of `field=value` and `field!=value` terms joined by `^` (on
///   `correlation_id`, `active`, `state` and `number`); 200 `{"result": [...]}`;
/// - `POST /api/now/table/incident` needs a `short_description`; `urgency` and `impact` must be
///   1, 2 or 3; 201 `{"result": {...}}` with a new `sys_id` and `number`;
/// - `PATCH /api/now/table/incident/{sys_id}`: 200 `{"result": {...}}`, 404 for an unknown
///   record; `work_notes` append to the journal; setting `state` 6 (Resolved) or 7 (Closed)
///   needs `close_code` and `close_notes` (a data policy: 403), and 7 or 8 makes the incident
///   inactive;
///
/// fields the incident table does not have are refused with 400, failures use ServiceNow's
/// `{"error": {"message", "detail"}, "status": "failure"}`, and the first `rateLimited` calls
/// get 429 with `Retry-After`.
public actor FakeServiceNow {
    /// An incident as the fake keeps it; every value is text, as ServiceNow answers it.
    public struct Incident: Sendable {
        public var sysID: String
        public var number: String
        public var fields: [String: String]
        public var workNotes: [String]

        public var state: String { fields["state"] ?? "" }
        public var active: Bool { fields["active"] == "true" }
        public var correlationID: String? { fields["correlation_id"] }
    }

    /// One call the fake answered.
    public struct Call: Sendable, Equatable {
        public var method: String
        public var path: String
        public var status: Int
    }

    static let writable: Set<String> = [
        "short_description", "description", "correlation_id", "correlation_display", "urgency", "impact", "assignment_group", "caller_id",
        "category", "subcategory", "work_notes", "comments", "state", "close_code", "close_notes",
    ]
    static let queryable: Set<String> = ["correlation_id", "active", "state", "number"]

    let username: String
    let password: String
    private var rateLimited: Int
    public private(set) var incidents: [Incident] = []
    public private(set) var calls: [Call] = []

    public init(username: String, password: String, rateLimited: Int = 0) {
        self.username = username
        self.password = password
        self.rateLimited = rateLimited
    }

    /// The incidents with `correlationID`.
    public func incidents(correlatedBy correlationID: String) -> [Incident] {
        incidents.filter { $0.correlationID == correlationID }
    }

    func handle(method: String, path: String, query: [String: String], headers: [String: String], body: Data) -> FakeAnswer {
        let answer = respond(method: method, path: path, query: query, headers: headers, body: body)
        calls.append(Call(method: method, path: path, status: answer.status))
        return answer
    }

    func respond(method: String, path: String, query: [String: String], headers: [String: String], body: Data) -> FakeAnswer {
        if rateLimited > 0 {
            rateLimited -= 1
            return Self.failure(429, "Too many requests", "The rate limit for this user has been exceeded", retryAfter: "5")
        }
        guard headers["authorization"] == "Basic " + Data("\(username):\(password)".utf8).base64EncodedString() else {
            return Self.failure(401, "User Not Authenticated", "Required to provide Auth information")
        }
        guard let accept = headers["accept"], accept.contains("application/json") || accept.contains("*/*") else {
            return Self.failure(406, "Not Acceptable", "The Accept header must allow application/json")
        }
        if method == "POST" || method == "PATCH" || method == "PUT", headers["content-type"]?.hasPrefix("application/json") != true {
            return Self.failure(415, "Unsupported Media Type", "The Content-Type must be application/json")
        }
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 4, parts[0] == "api", parts[1] == "now", parts[2] == "table" else {
            return Self.failure(400, "Requested URI does not represent any resource", "\(path)")
        }
        guard parts[3] == "incident" else { return Self.failure(400, "Invalid table \(parts[3])", "") }
        switch (method, parts.count) {
        case ("GET", 4): return list(query)
        case ("POST", 4): return create(body)
        case ("PATCH", 5), ("PUT", 5): return update(parts[4], body)
        default: return Self.failure(405, "Method not Supported", "\(method) is not supported for \(path)")
        }
    }

    func list(_ query: [String: String]) -> FakeAnswer {
        var terms: [(field: String, value: String, negated: Bool)] = []
        for term in (query["sysparm_query"] ?? "").split(separator: "^").map(String.init) where !term.isEmpty {
            let negated = term.contains("!=")
            guard let range = term.range(of: negated ? "!=" : "="), Self.queryable.contains(String(term[..<range.lowerBound])) else {
                return Self.failure(400, "Invalid query", "Cannot read the query term '\(term)'")
            }
            terms.append((String(term[..<range.lowerBound]), String(term[range.upperBound...]), negated))
        }
        let limit = Int(query["sysparm_limit"] ?? "") ?? 10_000
        let fields = query["sysparm_fields"].map { Set($0.split(separator: ",").map(String.init)) }
        let found = incidents.filter { incident in
            terms.allSatisfy { term in (Self.record(incident)[term.field] == term.value) != term.negated }
        }
        let result: [[String: String]] = found.prefix(limit).map { incident in
            Self.record(incident).filter { fields?.contains($0.key) ?? true }
        }
        return FakeAnswer(status: 200, json: FakeAnswer.json(["result": result]))
    }

    func create(_ body: Data) -> FakeAnswer {
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return Self.failure(400, "Exception while reading request", "The payload is not valid JSON")
        }
        guard case .success(let values) = Self.values(object) else { return Self.refusal(object) }
        guard let summary = values["short_description"], !summary.trimmingCharacters(in: .whitespaces).isEmpty else {
            return Self.failure(400, "Mandatory field missing", "short_description is mandatory")
        }
        for key in ["urgency", "impact"] where values[key] != nil && !["1", "2", "3"].contains(values[key]!) {
            return Self.failure(400, "Invalid value for \(key)", "\(key) must be 1, 2 or 3")
        }
        var fields = values.filter { $0.key != "work_notes" }
        fields["state"] = fields["state"] ?? "1"
        fields["active"] = "true"
        fields["urgency"] = fields["urgency"] ?? "3"
        fields["impact"] = fields["impact"] ?? "3"
        let incident = Incident(
            sysID: UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased(),
            number: "INC00" + String(10_001 + incidents.count), fields: fields, workNotes: values["work_notes"].map { [$0] } ?? [])
        incidents.append(incident)
        return FakeAnswer(status: 201, json: FakeAnswer.json(["result": Self.record(incident)]))
    }

    func update(_ sysID: String, _ body: Data) -> FakeAnswer {
        guard let index = incidents.firstIndex(where: { $0.sysID == sysID }) else {
            return Self.failure(404, "No Record found", "Record doesn't exist or ACL restricts the record retrieval")
        }
        guard let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            return Self.failure(400, "Exception while reading request", "The payload is not valid JSON")
        }
        guard case .success(let values) = Self.values(object) else { return Self.refusal(object) }
        var incident = incidents[index]
        for (key, value) in values where key != "work_notes" { incident.fields[key] = value }
        if ["6", "7"].contains(incident.state) {
            for key in ["close_code", "close_notes"] where incident.fields[key]?.isEmpty != false {
                return Self.failure(403, "Operation Failed", "Data Policy Exception: \(key) is mandatory when the incident is resolved or closed")
            }
        }
        if ["7", "8"].contains(incident.state) { incident.fields["active"] = "false" }
        if let note = values["work_notes"], !note.isEmpty { incident.workNotes.append(note) }
        incidents[index] = incident
        return FakeAnswer(status: 200, json: FakeAnswer.json(["result": Self.record(incident)]))
    }

    /// The record as the API answers it.
    static func record(_ incident: Incident) -> [String: String] {
        incident.fields.merging(["sys_id": incident.sysID, "number": incident.number]) { _, new in new }
    }

    /// The body's fields as text, or the first field the table does not take.
    static func values(_ object: [String: Any]) -> Result<[String: String], FieldError> {
        var values: [String: String] = [:]
        for (key, value) in object {
            guard writable.contains(key) else { return .failure(FieldError(field: key)) }
            switch value {
            case let text as String: values[key] = text
            case let number as Int: values[key] = String(number)
            default: return .failure(FieldError(field: key))
            }
        }
        return .success(values)
    }

    struct FieldError: Error {
        var field: String
    }

    static func refusal(_ object: [String: Any]) -> FakeAnswer {
        if case .failure(let error) = values(object) {
            return failure(400, "Invalid field \(error.field)", "The incident table has no writable field \(error.field) of that type")
        }
        return failure(400, "Invalid request", "")
    }

    static func failure(_ status: Int, _ message: String, _ detail: String, retryAfter: String? = nil) -> FakeAnswer {
        FakeAnswer(status: status, json: FakeAnswer.json(["error": ["message": message, "detail": detail], "status": "failure"]), retryAfter: retryAfter)
    }


    /// Serves the API on a free loopback port while `body` runs.
    public func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        try await LocalHTTPServer.serveAPI(methods: [.get, .post, .patch, .put], { request in
            await self.handle(method: request.method, path: request.path, query: request.query, headers: request.headers, body: request.body)
        }, body)
    }
}
