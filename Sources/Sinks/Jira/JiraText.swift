import AlertCore
import Foundation

/// The texts of a Jira issue about an alert group, in Jira's wiki markup (what the REST API v2
/// takes): the summary, the description, and the comments on later notifications.
enum JiraText {
    /// Jira's limit on a summary, in characters.
    static let maxSummary = 255
    /// Jira's limit on a description or comment, in characters.
    static let maxBody = 32_767
    /// Alerts listed in one table.
    static let maxRows = 100

    /// `[P1] HighLatency: p99 above 2s (+2 more)`, on one line.
    static func summary(_ notification: AlertNotification) -> String {
        let lead = notification.lead
        let others = notification.firing.count - 1
        let suffix = others > 0 ? " (+\(others) more)" : ""
        let headline = lead.alert.annotations["summary"].map { "\(lead.alert.name): \($0)" } ?? lead.alert.name
        let line = "[\(lead.rating.priority.rawValue)] \(headline)".components(separatedBy: .newlines).joined(separator: " ")
        return NotificationText.clip(line, to: maxSummary - suffix.unicodeScalars.count) + suffix
    }

    /// The group's labels, its alerts, why the lead alert scores as it does, and how alertd
    /// finds the issue again.
    static func description(_ notification: AlertNotification) -> String {
        let lead = notification.lead
        var lines = ["alertd alert group for tenant {{\(notification.tenant.rawValue)}}, receiver {{\(escape(notification.receiver.rawValue))}}.", ""]
        if !notification.group.labels.isEmpty {
            lines.append("||Group label||Value||")
            for name in notification.group.labels.keys.sorted() {
                lines.append("|\(cell(name))|\(cell(notification.group.labels[name]!))|")
            }
            lines.append("")
        }
        lines.append("h3. Alerts (\(NotificationText.counts(notification)))")
        lines += table(notification.alerts)
        lines.append("")
        lines.append("h3. Why \(escape(lead.alert.name)) scores \(NotificationText.number(lead.rating.score)) (\(lead.rating.priority.rawValue))")
        for factor in lead.rating.topFactors {
            lines.append(
                "* \(escape(factor.name)) \(NotificationText.number(factor.value)) × \(NotificationText.number(factor.weight)) = \(NotificationText.number(factor.contribution)): \(escape(NotificationText.clip(factor.detail, to: 300)))"
            )
        }
        lines.append("")
        lines.append(
            "alertd finds this issue again by its label {{\(notification.groupID)}}: it comments while the group fires and resolves the issue once every alert has resolved."
        )
        return NotificationText.clip(lines.joined(separator: "\n"), to: maxBody)
    }

    /// What changed: the group's state and its alerts now.
    static func comment(_ notification: AlertNotification) -> String {
        let heading =
            notification.status == .firing
            ? "*FIRING*: \(NotificationText.counts(notification))."
            : "*RESOLVED*: every alert of the group has resolved."
        return NotificationText.clip(([heading] + table(notification.alerts)).joined(separator: "\n"), to: maxBody)
    }

    /// A table with one row per alert (at most `maxRows`).
    static func table(_ alerts: [NotifiedAlert]) -> [String] {
        var rows = ["||Status||Priority||Score||Alert||Labels||Summary||Source||"]
        for notified in alerts.prefix(maxRows) {
            let alert = notified.alert
            let labels = NotificationText.labels(alert)
            let summary = alert.annotations["summary"] ?? alert.annotations["description"] ?? ""
            var source = " "
            if let url = alert.generatorURL, url.count <= 1_000, !url.contains("|"), !url.contains("]") { source = "[link|\(url)]" }
            rows.append(
                "|\(notified.status == .firing ? "FIRING" : "RESOLVED")|\(notified.rating.priority.rawValue)|\(NotificationText.number(notified.rating.score))|\(cell(alert.name))|\(cell(NotificationText.clip(labels, to: 500)))|\(cell(NotificationText.clip(summary, to: 500)))|\(source)|"
            )
        }
        if alerts.count > maxRows { rows.append("…and \(alerts.count - maxRows) more alerts.") }
        return rows
    }

    /// Text for a table cell: on one line, never empty, markup escaped.
    static func cell(_ text: String) -> String {
        let line = escape(text.components(separatedBy: .newlines).joined(separator: " "))
        return line.isEmpty ? " " : line
    }

    /// Wiki markup's table, link and macro characters, escaped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "|[]{}".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

}
