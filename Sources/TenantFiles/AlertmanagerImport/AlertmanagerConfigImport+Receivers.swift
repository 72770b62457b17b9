import AlertCore
import Foundation

extension AlertmanagerTranslation {
    /// The integrations alertd has a sink for, by Alertmanager's key.
    static let sinkKinds = [
        "webhook_configs": "webhook", "slack_configs": "slack", "pagerduty_configs": "pagerduty", "msteams_configs": "teams",
        "msteamsv2_configs": "teams", "jira_configs": "jira",
    ]

    /// Each receiver with the first integration alertd has a sink for (by kind name, then in
    /// order); a receiver with none discards, as in Alertmanager.
    mutating func receivers(_ value: JSONValue?) -> [String] {
        guard case .array(let receivers)? = value else { return [] }
        var lines: [String] = []
        for (index, item) in receivers.enumerated() {
            guard case .object(let receiver) = item, let name = receiver["name"]?.stringValue else { continue }
            let path = "receivers[\(index)]"
            lines.append("  - name: \(YAMLText.quoted(name))")
            var carried = false
            for key in receiver.keys.sorted() where key != "name" {
                guard case .array(let configs) = receiver[key]!, !configs.isEmpty else { continue }
                guard let kind = Self.sinkKinds[key] else {
                    omit("\(path).\(key)", "alertd has no \(key.replacingOccurrences(of: "_configs", with: "")) sink; receiver \(name) does not get these")
                    continue
                }
                for (configIndex, config) in configs.enumerated() {
                    let configPath = "\(path).\(key)[\(configIndex)]"
                    guard !carried else {
                        omit(configPath, "an alertd receiver has one sink; receiver \(name) keeps the first by kind name")
                        continue
                    }
                    guard case .object(let settings) = config else { continue }
                    let sinkLines = sink(kind, key: key, settings, receiver: name, at: configPath)
                    guard !sinkLines.isEmpty else { continue }
                    lines.append("    \(kind):")
                    lines += sinkLines.map { "      " + $0 }
                    carried = true
                }
            }
        }
        return lines
    }

    /// The sink's settings, or none when a required one is missing (then the receiver
    /// discards, and the omission says why).
    private mutating func sink(_ kind: String, key: String, _ settings: [String: JSONValue], receiver: String, at path: String) -> [String] {
        var used: Set<String> = ["send_resolved"]
        var lines: [String] = []
        switch kind {
        case "webhook":
            used.formUnion(["url", "url_file", "max_alerts", "timeout"])
            guard let url = secretOrURL(settings, "url", receiver: receiver, what: "WEBHOOK_URL", at: path) else {
                omit("\(path).url", "is required")
                return []
            }
            lines.append("url: \(url)")
            let secret = variable(receiver: receiver, what: "WEBHOOK_SECRET", origin: "a new key: alertd signs each webhook body with HMAC-SHA256 (X-Alertd-Signature)")
            lines.append("secret: \(secret)")
            if let maxAlerts = settings["max_alerts"], case .number(let number) = maxAlerts { lines.append("max_alerts: \(Int(number))") }
            if let timeout = settings["timeout"], let text = duration(timeout, at: "\(path).timeout") { lines.append("timeout: \(text)") }
        case "slack":
            used.formUnion(["api_url", "api_url_file"])
            if let url = secret(settings, "api_url", receiver: receiver, what: "SLACK_URL", at: path) ?? globalSlackURL() {
                lines.append("url: \(url)")
            } else {
                omit("\(path).api_url", "is required (here or as global.slack_api_url)")
                return []
            }
        case "pagerduty":
            used.formUnion(["routing_key", "routing_key_file", "service_key", "service_key_file", "url"])
            if let key = secret(settings, "routing_key", receiver: receiver, what: "PAGERDUTY_ROUTING_KEY", at: path) {
                lines.append("routing_key: \(key)")
            } else if let key = secret(settings, "service_key", receiver: receiver, what: "PAGERDUTY_ROUTING_KEY", at: path) {
                omit("\(path).service_key", "an Events API v1 key; alertd sends Events API v2 with it as routing_key, which needs an Events API v2 integration")
                lines.append("routing_key: \(key)")
            } else {
                omit("\(path).routing_key", "is required")
                return []
            }
            if let url = settings["url"]?.stringValue ?? global["pagerduty_url"]?.stringValue, url.contains("/v2/") {
                lines.append("url: \(YAMLText.quoted(url))")
            } else if let url = settings["url"]?.stringValue {
                omit("\(path).url", "\(url) is not an Events API v2 endpoint; alertd uses its default")
            }
        case "teams":
            used.formUnion(["webhook_url", "webhook_url_file"])
            guard let url = secret(settings, "webhook_url", receiver: receiver, what: "TEAMS_URL", at: path) else {
                omit("\(path).webhook_url", "is required")
                return []
            }
            if key == "msteams_configs" {
                omit(path, "an Office 365 connector URL: alertd posts Adaptive Cards to a Teams Workflows webhook, so replace the URL")
            }
            lines.append("url: \(url)")
        default:
            used.formUnion(["api_url", "project", "issue_type", "http_config", "resolve_transition"])
            guard let url = settings["api_url"]?.stringValue ?? global["jira_api_url"]?.stringValue, let project = settings["project"]?.stringValue
            else {
                omit(path, "api_url and project are required")
                return []
            }
            let site = url.components(separatedBy: "/rest/").first ?? url
            lines += ["url: \(YAMLText.quoted(site))", "project: \(YAMLText.quoted(project))"]
            if let type = settings["issue_type"]?.stringValue { lines.append("issue_type: \(YAMLText.quoted(type))") }
            if let transition = settings["resolve_transition"]?.stringValue { lines.append("resolve_transition: \(YAMLText.quoted(transition))") }
            let http = settings["http_config"]?.objectValue ?? [:]
            if let basic = http["basic_auth"]?.objectValue, let user = basic["username"]?.stringValue {
                lines.append("email: \(YAMLText.quoted(user))")
                let token = secret(basic, "password", receiver: receiver, what: "JIRA_API_TOKEN", at: "\(path).http_config.basic_auth")
                lines.append("api_token: \(token ?? variable(receiver: receiver, what: "JIRA_API_TOKEN", origin: "the Jira API token"))")
            } else if let authorization = http["authorization"]?.objectValue,
                let token = secret(authorization, "credentials", receiver: receiver, what: "JIRA_TOKEN", at: "\(path).http_config.authorization")
            {
                lines.append("bearer_token: \(token)")
            } else {
                omit("\(path).http_config", "Jira needs basic_auth (email and API token) or a bearer token")
                return []
            }
        }
        lines.append("send_resolved: \(sendsResolved(settings, kind: kind))")
        if kind != "jira", let http = settings["http_config"], http != .object([:]) {
            omit("\(path).http_config", "alertd's \(kind) sink has no HTTP client settings (authentication, proxy, TLS); none of it is copied")
        }
        for field in settings.keys.sorted() where !used.contains(field) && field != "http_config" {
            if kind == "slack", field == "channel" {
                omit("\(path).channel", "alertd posts through the incoming webhook, to the channel it was made for")
            } else {
                omit("\(path).\(field)", "alertd's \(kind) sink lays out its own messages and has no \(field)")
            }
        }
        return lines
    }

    /// Alertmanager's defaults: Slack does not notify on resolution, the others do.
    private func sendsResolved(_ settings: [String: JSONValue], kind: String) -> Bool {
        if case .bool(let value)? = settings["send_resolved"] { return value }
        return !["slack"].contains(kind)
    }

    /// A reference for the secret in `settings[key]` (an `env:` variable holding the inline
    /// value) or `settings[key_file]` (a `file:` reference).
    private mutating func secret(_ settings: [String: JSONValue], _ key: String, receiver: String, what: String, at path: String) -> String? {
        if let file = settings["\(key)_file"]?.stringValue, !file.isEmpty { return YAMLText.quoted("file:\(file)") }
        guard let value = settings[key]?.stringValue, !value.isEmpty else { return nil }
        return variable(receiver: receiver, what: what, origin: "the value of \(path).\(key)")
    }

    /// Like `secret`, but a plain http(s) URL without credentials or a query stays inline.
    private mutating func secretOrURL(_ settings: [String: JSONValue], _ key: String, receiver: String, what: String, at path: String) -> String? {
        if let value = settings[key]?.stringValue, let url = URLComponents(string: value), ["http", "https"].contains(url.scheme ?? ""),
            url.user == nil, url.password == nil, url.query == nil
        {
            return YAMLText.quoted(value)
        }
        return secret(settings, key, receiver: receiver, what: what, at: path)
    }

    private mutating func globalSlackURL() -> String? {
        if let file = global["slack_api_url_file"]?.stringValue { return YAMLText.quoted("file:\(file)") }
        guard global["slack_api_url"]?.stringValue != nil else { return nil }
        let name = Self.variableName("\(tenant)_SLACK_API_URL")
        if !variables.contains(where: { $0.name == name }) { variables.append((name, "the value of global.slack_api_url")) }
        return YAMLText.quoted("env:\(name)")
    }

    /// A new environment variable for the receiver's secret, named after tenant, receiver and
    /// what it holds; a second one of the same name gets a number.
    private mutating func variable(receiver: String, what: String, origin: String) -> String {
        let base = Self.variableName("\(tenant)_\(receiver)_\(what)")
        var name = base
        var number = 2
        while variables.contains(where: { $0.name == name }) {
            name = "\(base)_\(number)"
            number += 1
        }
        variables.append((name, origin))
        return YAMLText.quoted("env:\(name)")
    }

    /// Upper case, every character outside A–Z, 0–9 and `_` an underscore, never a leading digit.
    static func variableName(_ text: String) -> String {
        let name = String(text.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        return name.first?.isNumber == true ? "_" + name : name
    }
}
