import Foundation

extension TenantConfig {
    /// The tenant's routing as an Alertmanager configuration file: the route tree, inhibit
    /// rules and receiver names, what `GET /api/v2/status` shows in `config.original` for
    /// amtool and Grafana. Receiver settings (secrets among them) are left out; alertd's
    /// rating matchers, which Alertmanager lacks, appear as comments.
    public var alertmanagerYAML: String {
        var lines = [
            "# Tenant \(id) (\(name.replacingOccurrences(of: "\n", with: " "))) as alertd routes it, in Alertmanager's format.",
            "# Receivers show their names and sink kinds only; matchers on alertd's rating (score,",
            "# priority) are comments, since Alertmanager has none.",
            "route:",
        ]
        lines += Self.yaml(route, indent: "  ", isRoot: true)
        if !inhibitRules.isEmpty {
            lines.append("inhibit_rules:")
            for rule in inhibitRules {
                var entry = Self.matcherLines("source_matchers", rule.sourceMatchers, indent: "    ")
                entry += Self.matcherLines("target_matchers", rule.targetMatchers, indent: "    ")
                if !rule.equal.isEmpty { entry.append("    equal: \(YAMLText.list(rule.equal))") }
                if entry.isEmpty { entry.append("    equal: []") }
                entry[0] = "  - " + entry[0].dropFirst(4)
                lines += entry
            }
        }
        lines.append("receivers:")
        for receiver in receivers.values.sorted(by: { $0.name < $1.name }) {
            lines.append("  - name: \(YAMLText.quoted(receiver.name.rawValue))  # \(receiver.kind)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func yaml(_ route: Route, indent: String, isRoot: Bool) -> [String] {
        var lines = ["\(indent)receiver: \(YAMLText.quoted(route.receiver.rawValue))"]
        switch route.groupBy {
        case .all: lines.append("\(indent)group_by: [\"...\"]")
        case .labels(let names): lines.append("\(indent)group_by: \(YAMLText.list(names))")
        }
        if !isRoot {
            lines += matcherLines("matchers", route.matchers, indent: indent)
            if route.continueMatching { lines.append("\(indent)continue: true") }
        }
        lines.append("\(indent)group_wait: \(goDuration(route.groupWait))")
        lines.append("\(indent)group_interval: \(goDuration(route.groupInterval))")
        lines.append("\(indent)repeat_interval: \(goDuration(route.repeatInterval))")
        if !route.routes.isEmpty {
            lines.append("\(indent)routes:")
            for child in route.routes {
                var childLines = yaml(child, indent: indent + "    ", isRoot: false)
                childLines[0] = indent + "  - " + childLines[0].dropFirst(indent.count + 4)
                lines += childLines
            }
        }
        return lines
    }

    private static func matcherLines(_ key: String, _ matchers: [Matcher], indent: String) -> [String] {
        var lines: [String] = []
        let labels = matchers.filter { !$0.isRatingMatcher }
        if !labels.isEmpty { lines.append("\(indent)\(key): \(YAMLText.list(labels.map(\.description)))") }
        let rating = matchers.filter(\.isRatingMatcher)
        if !rating.isEmpty {
            lines.append("\(indent)# \(key) on alertd's rating: \(rating.map(\.description).joined(separator: ", "))")
        }
        return lines
    }

    /// Go's duration text (`4h`, `5m`, `1h30m`, `0s`), which Alertmanager reads.
    static func goDuration(_ interval: TimeInterval) -> String {
        var milliseconds = Int((interval * 1_000).rounded())
        guard milliseconds > 0 else { return "0s" }
        var text = ""
        for (unit, size) in [("h", 3_600_000), ("m", 60_000), ("s", 1_000), ("ms", 1)] where milliseconds >= size {
            text += "\(milliseconds / size)\(unit)"
            milliseconds %= size
        }
        return text
    }
}
