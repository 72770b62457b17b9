import AlertCore
import Foundation

/// The texts of a ServiceNow incident about an alert group, in plain text: the short
/// description, the description and the work notes of later notifications.
enum ServiceNowText {
    /// The length of the incident table's `short_description` column.
    static let maxShortDescription = 160
    /// Characters of a description or work note.
    static let maxBody = 32_000
    /// Alerts listed in one text.
    static let maxListed = 100

    /// `[P1] HighLatency: p99 above 2s (+2 more)`, on one line.
    static func shortDescription(_ notification: AlertNotification) -> String {
        let lead = notification.lead
        let others = notification.firing.count - 1
        let suffix = others > 0 ? " (+\(others) more)" : ""
        let headline = lead.alert.annotations["summary"].map { "\(lead.alert.name): \($0)" } ?? lead.alert.name
        let line = "[\(lead.rating.priority.rawValue)] \(headline)".components(separatedBy: .newlines).joined(separator: " ")
        return clip(line, to: maxShortDescription - suffix.unicodeScalars.count) + suffix
    }

    /// The group, its alerts and why the lead alert scores as it does.
    static func description(_ notification: AlertNotification) -> String {
        let lead = notification.lead
        let group = notification.group.labels.keys.sorted().map { "\($0)=\(notification.group.labels[$0]!)" }.joined(separator: ", ")
        var lines = [
            "alertd alert group for tenant \(notification.tenant.rawValue), receiver \(notification.receiver).",
            "Group: \(group.isEmpty ? "(all alerts)" : group)",
            "Correlation ID: \(notification.groupID)",
            "",
            "Alerts (\(counts(notification))):",
        ]
        lines += list(notification.alerts)
        lines.append("")
        lines.append("Why \(lead.alert.name) scores \(format(lead.rating.score)) (\(lead.rating.priority.rawValue)):")
        for factor in lead.rating.topFactors {
            lines.append(
                "- \(factor.name) \(format(factor.value)) × \(format(factor.weight)) = \(format(factor.contribution)): \(clip(factor.detail, to: 300))"
            )
        }
        return clip(lines.joined(separator: "\n"), to: maxBody)
    }

    /// The group's state and its alerts now.
    static func workNote(_ notification: AlertNotification) -> String {
        let heading =
            notification.status == .firing
            ? "alertd: still firing, \(counts(notification))."
            : "alertd: every alert of the group has resolved."
        return clip(([heading] + list(notification.alerts)).joined(separator: "\n"), to: maxBody)
    }

    /// `3 firing, 1 resolved`.
    static func counts(_ notification: AlertNotification) -> String {
        var parts: [String] = []
        if !notification.firing.isEmpty { parts.append("\(notification.firing.count) firing") }
        if !notification.resolved.isEmpty { parts.append("\(notification.resolved.count) resolved") }
        return parts.joined(separator: ", ")
    }

    /// One line per alert (at most `maxListed`).
    static func list(_ alerts: [NotifiedAlert]) -> [String] {
        var lines: [String] = []
        for notified in alerts.prefix(maxListed) {
            let alert = notified.alert
            let labels = alert.labels.keys.sorted().filter { $0 != "alertname" }.map { "\($0)=\(alert.labels[$0]!)" }.joined(separator: ", ")
            var line =
                "- [\(notified.status == .firing ? "FIRING" : "RESOLVED")] [\(notified.rating.priority.rawValue)] score \(format(notified.rating.score)) \(alert.name) {\(clip(labels, to: 500))}"
            if let summary = alert.annotations["summary"] ?? alert.annotations["description"] { line += ": " + clip(summary, to: 500) }
            if let url = alert.generatorURL { line += " <\(clip(url, to: 1_000))>" }
            lines.append(line.components(separatedBy: .newlines).joined(separator: " "))
        }
        if alerts.count > maxListed { lines.append("…and \(alerts.count - maxListed) more alerts.") }
        return lines
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }

    /// `text` cut to at most `limit` Unicode scalars, ending in an ellipsis when cut.
    static func clip(_ text: String, to limit: Int) -> String {
        guard text.unicodeScalars.count > limit else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.prefix(max(0, limit - 1)))
        return String(scalars) + "…"
    }
}
