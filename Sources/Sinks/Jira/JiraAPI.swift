import AlertCore
import Foundation
import NIOHTTP1

/// The Jira Cloud REST API (version 2) calls the Jira sink makes, and the answers it reads.
struct JiraAPI {
    /// `POST /rest/api/2/issue`.
    struct NewIssue: Encodable {
        struct Fields: Encodable {
            var project: Key
            var summary: String
            var description: String
            var issuetype: Name
            var labels: [String]
        }

        struct Key: Encodable {
            var key: String
        }

        struct Name: Encodable {
            var name: String
        }

        var fields: Fields
    }

    /// `POST /rest/api/2/issue/{key}/comment`, and a comment added with a transition.
    struct Comment: Encodable {
        var body: String
    }

    /// `POST /rest/api/2/issue/{key}/transitions` with a comment.
    struct Transition: Encodable {
        struct ID: Encodable {
            var id: String
        }

        struct Update: Encodable {
            var comment: [Add]
        }

        struct Add: Encodable {
            var add: Comment
        }

        var transition: ID
        var update: Update
    }

    /// Characters a query value or path segment keeps as they are (RFC 3986 unreserved).
    static var unreserved: CharacterSet { CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~") }

    /// The site, e.g. `https://acme.atlassian.net`, without a trailing slash.
    let base: String
    let authorization: String

    /// Resolves the site and credentials: `email` with `api_token` (Basic), or `bearer_token`.
    init(settings: JiraSink.Settings, secrets: SecretResolver) throws(DeliveryFailure) {
        var url = try secrets.value(settings.url)
        while url.hasSuffix("/") { url.removeLast() }
        base = url
        switch settings.authentication {
        case .bearer(let token):
            authorization = "Bearer \(try secrets.value(token))"
        case .basic(let email, let apiToken):
            let token = try secrets.value(apiToken)
            authorization = "Basic " + Data("\(try secrets.value(email)):\(token)".utf8).base64EncodedString()
        }
    }

    var headers: [(String, String)] { [("Authorization", authorization), ("Accept", "application/json")] }

    var jsonHeaders: [(String, String)] { headers + [("Content-Type", "application/json")] }

    /// The newest issue of `project` that carries `label` and is not done, with the enhanced
    /// JQL search (`/search/jql`) that replaced the removed `/search` on Jira Cloud.
    func searchOpenIssue(project: String, label: String) -> SinkRequest {
        let jql = "project = \(Self.quoted(project)) AND labels = \(Self.quoted(label)) AND statusCategory != Done ORDER BY created DESC"
        return SinkRequest(
            method: .GET, url: "\(base)/rest/api/2/search/jql?jql=\(Self.escape(jql))&fields=status&maxResults=1", headers: headers)
    }

    func createIssue(_ issue: NewIssue) throws(DeliveryFailure) -> SinkRequest {
        SinkRequest(url: "\(base)/rest/api/2/issue", headers: jsonHeaders, body: try Self.encode(issue))
    }

    func addComment(_ text: String, to key: String) throws(DeliveryFailure) -> SinkRequest {
        SinkRequest(url: "\(base)/rest/api/2/issue/\(Self.escape(key))/comment", headers: jsonHeaders, body: try Self.encode(Comment(body: text)))
    }

    func transitions(of key: String) -> SinkRequest {
        SinkRequest(method: .GET, url: "\(base)/rest/api/2/issue/\(Self.escape(key))/transitions", headers: headers)
    }

    func transition(_ key: String, to id: String, comment: String) throws(DeliveryFailure) -> SinkRequest {
        let transition = Transition(transition: .init(id: id), update: .init(comment: [.init(add: Comment(body: comment))]))
        return SinkRequest(
            url: "\(base)/rest/api/2/issue/\(Self.escape(key))/transitions", headers: jsonHeaders, body: try Self.encode(transition))
    }

    /// The key of the first issue in a search answer, nil when it found none.
    static func firstIssueKey(in body: String) throws(DeliveryFailure) -> String? {
        guard let answer = try? JSONValue.parse(Data(body.utf8)), case .array(let issues)? = answer["issues"] else {
            throw DeliveryFailure(retryable: true, message: "Jira's search answer has no issues: \(body.prefix(200))")
        }
        return issues.first?["key"]?.stringValue
    }

    /// The id of the transition named `name` (or leading to a status named so), in the answer
    /// to `GET .../transitions`.
    static func transitionID(named name: String, in body: String, issue key: String) throws(DeliveryFailure) -> String {
        guard let answer = try? JSONValue.parse(Data(body.utf8)), case .array(let transitions)? = answer["transitions"] else {
            throw DeliveryFailure(retryable: true, message: "Jira's transitions answer for \(key) has no transitions: \(body.prefix(200))")
        }
        let wanted = name.lowercased()
        let match =
            transitions.first(where: { $0["name"]?.stringValue?.lowercased() == wanted })
            ?? transitions.first(where: { $0["to"]?["name"]?.stringValue?.lowercased() == wanted })
        switch match?["id"] {
        case .string(let id)?: return id
        case .number(let id)?: return String(Int(id))
        default:
            let offered = transitions.compactMap { $0["name"]?.stringValue }.joined(separator: ", ")
            throw DeliveryFailure(
                retryable: false, message: "Jira issue \(key) offers no transition \"\(name)\" (it offers: \(offered.isEmpty ? "none" : offered))")
        }
    }

    /// A JQL string literal.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `text` percent-encoded for a query value or a path segment.
    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    static func encode(_ value: some Encodable) throws(DeliveryFailure) -> [UInt8] {
        do {
            return Array(try SinkSettings.encoder.encode(value))
        } catch {
            throw DeliveryFailure(retryable: false, message: "cannot encode the Jira request: \(error)")
        }
    }
}
