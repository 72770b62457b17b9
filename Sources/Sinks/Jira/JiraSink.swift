import AlertCore
import Foundation

/// Jira Cloud: one issue per alert group, found again by a label that is the group's id
/// (`alertd-` and 16 hex digits). A notification looks the open issue up with the enhanced JQL
/// search (`statusCategory != Done`); while the group fires it creates the issue when there is
/// none and otherwise comments on it with the group's alerts; once the group has resolved it
/// applies the `resolve_transition` with a comment. A resolve with no open issue does nothing.
/// Jira's 400 (a field it refuses, answered as `{"errorMessages": [...], "errors": {...}}`),
/// 401 and 403 are not retried; 429 (with `Retry-After`) and 5xx are.
///
/// Settings, after Alertmanager's Jira receiver: `url` (the site, e.g.
/// `https://acme.atlassian.net`), `project` (its key), `issue_type` (default `Bug`), either
/// `email` and `api_token` (a secret reference; Basic authentication) or `bearer_token` (a
/// secret reference), `resolve_transition` (default `Done`), `labels` (more labels for new
/// issues, without spaces) and `send_resolved` (default true).
public struct JiraSink: Sink {
    public let kind = "jira"
    static let defaultIssueType = "Bug"
    static let defaultResolveTransition = "Done"

    public init() {}

    public struct Settings: ReceiverSettings, Equatable {
        /// How alertd signs in to the site.
        public enum Authentication: Sendable, Equatable {
            /// Basic: the account's email and a secret reference to its API token.
            case basic(email: String, apiToken: String)
            /// A secret reference to a bearer token.
            case bearer(token: String)
        }

        /// The site (or a secret reference to it), e.g. `https://acme.atlassian.net`.
        public var url: String
        public var project: String
        public var issueType: String
        public var authentication: Authentication
        public var resolveTransition: String
        /// More labels for new issues.
        public var labels: [String]
        public var sendResolved: Bool
    }

    public func read(_ settings: JSONValue, at path: String) -> Result<Settings, ConfigProblems> {
        let (object, problems) = SinkSettings.object(
            settings, at: path,
            allowed: ["url", "project", "issue_type", "email", "api_token", "bearer_token", "resolve_transition", "labels", "send_resolved"],
            required: ["url", "project"])
        var more: [ConfigProblem] = []
        for key in ["project", "issue_type", "resolve_transition", "email"] {
            if let value = object[key], value.stringValue?.trimmingCharacters(in: .whitespaces).isEmpty != false {
                more.append(ConfigProblem(path: "\(path).\(key)", reason: "must be a non-empty string"))
            }
        }
        if let project = object["project"]?.stringValue, project.contains(where: { $0.isWhitespace || $0 == "\"" }) {
            more.append(ConfigProblem(path: "\(path).project", reason: "must be a project key such as OPS"))
        }
        switch (object["email"] != nil || object["api_token"] != nil, object["bearer_token"] != nil) {
        case (false, false):
            more.append(ConfigProblem(path: "\(path).api_token", reason: "is required with email, or give bearer_token"))
        case (true, true):
            more.append(ConfigProblem(path: "\(path).bearer_token", reason: "is not used with email and api_token: give one way in"))
        case (true, false):
            for key in ["email", "api_token"] where object[key] == nil {
                more.append(ConfigProblem(path: "\(path).\(key)", reason: "is required with \(key == "email" ? "api_token" : "email")"))
            }
        case (false, true):
            break
        }
        if let labels = object["labels"] {
            if case .array(let items) = labels {
                for (index, item) in items.enumerated() where !Self.isLabel(item) {
                    more.append(ConfigProblem(path: "\(path).labels[\(index)]", reason: "must be a label: up to 255 characters, no spaces"))
                }
            } else {
                more.append(ConfigProblem(path: "\(path).labels", reason: "must be a list of labels"))
            }
        }
        let all =
            problems + more + SinkSettings.urlProblems(object["url"], at: "\(path).url")
            + SinkSettings.secretProblems(object["api_token"], at: "\(path).api_token")
            + SinkSettings.secretProblems(object["bearer_token"], at: "\(path).bearer_token")
            + SinkSettings.boolProblems(object["send_resolved"], at: "\(path).send_resolved")
        return SinkSettings.read(all) {
            let authentication: Settings.Authentication =
                if let bearer = object["bearer_token"]?.stringValue {
                    .bearer(token: bearer)
                } else {
                    .basic(email: object["email"]?.stringValue ?? "", apiToken: object["api_token"]?.stringValue ?? "")
                }
            return Settings(
                url: object["url"]?.stringValue ?? "", project: object["project"]?.stringValue ?? "",
                issueType: object["issue_type"]?.stringValue ?? Self.defaultIssueType, authentication: authentication,
                resolveTransition: object["resolve_transition"]?.stringValue ?? Self.defaultResolveTransition,
                labels: Self.labels(object["labels"]), sendResolved: SinkSettings.sendResolved(object))
        }
    }

    public func deliver(_ notification: AlertNotification, settings: Settings, secrets: SecretResolver, http: SinkHTTP) async throws(DeliveryFailure)
        -> Int
    {
        let api = try JiraAPI(settings: settings, secrets: secrets)
        let project = settings.project
        let search = try await http.send(api.searchOpenIssue(project: project, label: notification.groupID))
        let existing = try JiraAPI.firstIssueKey(in: search.body)
        switch (existing, notification.status) {
        case (nil, .resolved):
            return search.status
        case (nil, .firing):
            let labels = [notification.groupID] + settings.labels.filter { $0 != notification.groupID }
            let issue = JiraAPI.NewIssue(
                fields: .init(
                    project: .init(key: project), summary: JiraText.summary(notification), description: JiraText.description(notification),
                    issuetype: .init(name: settings.issueType), labels: labels))
            return try await http.send(api.createIssue(issue)).status
        case (let key?, .firing):
            return try await http.send(api.addComment(JiraText.comment(notification), to: key)).status
        case (let key?, .resolved):
            let name = settings.resolveTransition
            let offered = try await http.send(api.transitions(of: key))
            let id = try JiraAPI.transitionID(named: name, in: offered.body, issue: key)
            return try await http.send(api.transition(key, to: id, comment: JiraText.comment(notification))).status
        }
    }

    /// The labels of a checked `labels` setting.
    static func labels(_ value: JSONValue?) -> [String] {
        guard case .array(let items)? = value else { return [] }
        return items.compactMap(\.stringValue)
    }

    /// A Jira label: 1 to 255 characters, no whitespace.
    static func isLabel(_ value: JSONValue) -> Bool {
        guard let label = value.stringValue else { return false }
        return !label.isEmpty && label.count <= 255 && !label.contains(where: \.isWhitespace)
    }
}
