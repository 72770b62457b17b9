import AlertCore
import Foundation

/// Turns an Alertmanager configuration (alertmanager.yml) into a tenant's tenant.yaml: the
/// route tree (`matchers` and the older `match`/`match_re`), inhibit rules and receivers for
/// the sinks alertd has. A secret found inline becomes an `env:NAME` reference and is never
/// copied; a `*_file` setting becomes a `file:` reference. Whatever cannot be carried over
/// is listed in `omissions` with its path in the source file.
public struct AlertmanagerConfigImport: Sendable {
    /// The tenant.yaml text.
    public var tenantYAML: String
    /// What was not carried over, each with its path in alertmanager.yml.
    public var omissions: [ConfigProblem]
    /// The environment variables the tenant's secret references read, each with the source
    /// path its value came from (or what to put in it).
    public var variables: [(name: String, origin: String)]

    /// Converts `text` for tenant `tenant`. `issuer` and `jwksURL` fill the tenant's `auth`,
    /// which Alertmanager has no counterpart of. Throws when `text` is not an Alertmanager
    /// configuration at all (not YAML, or no `route`).
    public init(_ text: String, tenant: TenantID, name: String? = nil, issuer: String, jwksURL: String) throws(ConfigProblems) {
        let document: JSONValue
        do {
            document = try YAMLDocument.parse(text)
        } catch {
            throw ConfigProblems([ConfigProblem(path: "", reason: "is not valid YAML: \(error)")])
        }
        guard case .object(let top) = document else {
            throw ConfigProblems([ConfigProblem(path: "", reason: "is not an Alertmanager configuration (a YAML mapping)")])
        }
        guard case .object(let route)? = top["route"] else {
            throw ConfigProblems([ConfigProblem(path: "route", reason: "is required: an Alertmanager configuration has a route")])
        }
        var builder = AlertmanagerTranslation(tenant: tenant, global: top["global"]?.objectValue ?? [:])
        for key in top.keys.sorted() where !["global", "route", "receivers", "inhibit_rules"].contains(key) {
            builder.omit(key, AlertmanagerTranslation.unsupportedTopLevel[key] ?? "is not an Alertmanager setting alertd knows")
        }
        for key in (top["global"]?.objectValue ?? [:]).keys.sorted() where !AlertmanagerTranslation.globalsUsed.contains(key) {
            builder.omit("global.\(key)", AlertmanagerTranslation.globalReason(key))
        }
        var lines = [
            "# Imported from an Alertmanager configuration by `alertd tenants import`. The format is",
            "# described by tenants/schema.json; set auth to the tenant's identity provider.",
            "id: \(tenant)",
            "name: \(YAMLText.quoted(name ?? tenant.rawValue))",
            "auth:",
            "  issuer: \(YAMLText.quoted(issuer))",
            "  audience: alertd",
            "  jwks:",
            "    url: \(YAMLText.quoted(jwksURL))",
            "routes:",
        ]
        lines += builder.route(route, at: "route", indent: "  ", isRoot: true)
        let inhibitRules = builder.inhibitRules(top["inhibit_rules"])
        if !inhibitRules.isEmpty { lines += ["inhibit_rules:"] + inhibitRules }
        lines += ["receivers:"] + builder.receivers(top["receivers"])
        tenantYAML = lines.joined(separator: "\n") + "\n"
        omissions = builder.omissions
        variables = builder.variables
    }
}

/// One conversion under way: what it left out and which variables it introduced.
struct AlertmanagerTranslation {
    let tenant: TenantID
    let global: [String: JSONValue]
    var omissions: [ConfigProblem] = []
    var variables: [(name: String, origin: String)] = []

    static let unsupportedTopLevel = [
        "templates": "alertd renders notifications itself; Go templates are not used",
        "time_intervals": "alertd has no time intervals; routes that use them are imported without",
        "mute_time_intervals": "alertd has no time intervals; routes that use them are imported without",
        "tracing": "set tracing with alertd's --otlp-endpoint instead",
    ]

    /// Globals that feed receivers alertd has.
    static let globalsUsed: Set<String> = ["slack_api_url", "slack_api_url_file", "pagerduty_url", "jira_api_url"]

    static func globalReason(_ key: String) -> String {
        switch key {
        case "resolve_timeout":
            "alertd has no resolve timeout: an alert posted without endsAt fires until it is resolved"
        case let key where key.hasPrefix("smtp_"): "alertd has no email sink"
        case "http_config": "alertd's sinks have no shared HTTP client settings"
        default: "belongs to a receiver kind alertd has no sink for"
        }
    }

    mutating func omit(_ path: String, _ reason: String) {
        omissions.append(ConfigProblem(path: path, reason: reason))
    }

    // MARK: - Routes

    /// The route's settings; unset ones stay unset, so they are inherited as in Alertmanager.
    mutating func route(_ route: [String: JSONValue], at path: String, indent: String, isRoot: Bool) -> [String] {
        var lines: [String] = []
        if let receiver = route["receiver"]?.stringValue { lines.append("\(indent)receiver: \(YAMLText.quoted(receiver))") }
        if case .array(let labels)? = route["group_by"] {
            let names = labels.compactMap(\.stringValue)
            lines.append("\(indent)group_by: " + (names.contains("...") ? "[\"...\"]" : YAMLText.list(names)))
        }
        for key in ["group_wait", "group_interval", "repeat_interval"] {
            guard let value = route[key] else { continue }
            if let duration = duration(value, at: "\(path).\(key)") { lines.append("\(indent)\(key): \(duration)") }
        }
        if !isRoot {
            let matchers = matchers(in: route, keys: ("matchers", "match", "match_re"), at: path)
            if !matchers.isEmpty { lines.append("\(indent)matchers: \(YAMLText.list(matchers))") }
            if route["continue"] == .bool(true) { lines.append("\(indent)continue: true") }
        }
        for key in ["mute_time_intervals", "active_time_intervals"] where route[key] != nil {
            omit("\(path).\(key)", "alertd has no time intervals; the route notifies at all times")
        }
        let known: Set<String> = [
            "receiver", "group_by", "group_wait", "group_interval", "repeat_interval", "matchers", "match", "match_re", "continue",
            "routes", "mute_time_intervals", "active_time_intervals",
        ]
        for key in route.keys.sorted() where !known.contains(key) { omit("\(path).\(key)", "is not a route setting alertd knows") }
        if case .array(let children)? = route["routes"], !children.isEmpty {
            lines.append("\(indent)routes:")
            for (index, child) in children.enumerated() {
                guard case .object(let object) = child else { continue }
                var childLines = self.route(object, at: "\(path).routes[\(index)]", indent: indent + "    ", isRoot: false)
                if childLines.isEmpty { childLines = ["\(indent)    continue: false"] }
                childLines[0] = indent + "  - " + childLines[0].dropFirst(indent.count + 4)
                lines += childLines
            }
        }
        return lines
    }

    /// The matchers of `object` in alertd's syntax: `keys.0` (a list of matcher strings) and
    /// the older `keys.1` (`{label: value}`) and `keys.2` (`{label: regex}`).
    mutating func matchers(in object: [String: JSONValue], keys: (String, String, String), at path: String) -> [String] {
        var result: [String] = []
        if case .array(let list)? = object[keys.0] {
            for (index, item) in list.enumerated() {
                guard let text = item.stringValue else { continue }
                result += matcherList(text, at: "\(path).\(keys.0)[\(index)]")
            }
        }
        for (key, op) in [(keys.1, "="), (keys.2, "=~")] {
            guard case .object(let map)? = object[key] else { continue }
            for name in map.keys.sorted() {
                let value = map[name]?.stringValue ?? map[name].map { "\($0)" } ?? ""
                result += matcherList("\(name)\(op)\(Matcher.quoteForImport(value))", at: "\(path).\(key).\(name)")
            }
        }
        return result
    }

    /// The matchers of one of Alertmanager's matcher strings (`a="1"`, or several as
    /// `{a="1", b=~"2|3"}`), checked; a matcher on a label named `score` or `priority`,
    /// which alertd reads as its rating, is left out.
    private mutating func matcherList(_ text: String, at path: String) -> [String] {
        var result: [String] = []
        for part in Matcher.split(text) {
            do {
                let matcher = try Matcher(parsing: part)
                if matcher.isRatingMatcher {
                    omit(path, "alertd reads score and priority as its rating, not as labels; \(part) is left out")
                    continue
                }
                result.append(matcher.description)
            } catch {
                omit(path, "\(error.reason); left out")
            }
        }
        return result
    }

    mutating func duration(_ value: JSONValue, at path: String) -> String? {
        guard let text = value.stringValue, let seconds = Self.alertmanagerSeconds(text) else {
            omit(path, "is not a duration; the parent's value applies")
            return nil
        }
        return Self.durationText(seconds)
    }

    /// Seconds of an Alertmanager (Prometheus) duration: units y, w, d, h, m, s, ms.
    static func alertmanagerSeconds(_ text: String) -> Double? {
        if text == "0" { return 0 }
        if let alertd = DurationText.seconds(text) { return alertd }
        guard text.hasSuffix("y"), let years = Double(text.dropLast()) else { return nil }
        return years * 365 * 86_400
    }

    /// alertd's duration text, e.g. `1h30m` or `500ms`.
    static func durationText(_ seconds: Double) -> String {
        var milliseconds = Int((seconds * 1_000).rounded())
        guard milliseconds > 0 else { return "0s" }
        var text = ""
        for (unit, size) in [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] where milliseconds >= size {
            text += "\(milliseconds / size)\(unit)"
            milliseconds %= size
        }
        return text
    }

    // MARK: - Inhibit rules

    mutating func inhibitRules(_ value: JSONValue?) -> [String] {
        guard case .array(let rules)? = value else { return [] }
        var lines: [String] = []
        for (index, item) in rules.enumerated() {
            guard case .object(let rule) = item else { continue }
            let path = "inhibit_rules[\(index)]"
            let source = matchers(in: rule, keys: ("source_matchers", "source_match", "source_match_re"), at: path)
            let target = matchers(in: rule, keys: ("target_matchers", "target_match", "target_match_re"), at: path)
            guard !source.isEmpty, !target.isEmpty else {
                omit(path, "alertd's inhibit rules need source and target matchers; this rule is left out")
                continue
            }
            lines.append("  - source_matchers: \(YAMLText.list(source))")
            lines.append("    target_matchers: \(YAMLText.list(target))")
            if case .array(let equal)? = rule["equal"], !equal.isEmpty {
                lines.append("    equal: \(YAMLText.list(equal.compactMap(\.stringValue)))")
            }
        }
        return lines
    }
}

extension JSONValue {
    var objectValue: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }
}

extension Matcher {
    /// `value` quoted the way matchers quote it, for building one from `match:` maps.
    static func quoteForImport(_ value: String) -> String {
        AlertmanagerMatcher(name: "x", value: value, isRegex: false).text.dropFirst(2).description
    }
}
