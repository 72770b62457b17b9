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
        return NotificationText.clip(line, to: maxShortDescription - suffix.unicodeScalars.count) + suffix
    }

    /// The group, its alerts and why the lead alert scores as it does.
    static func description(_ notification: AlertNotification) -> String {
        let lead = notification.lead
        var lines = [
            "alertd alert group for tenant \(notification.tenant.rawValue), receiver \(notification.receiver).",
            "Group: \(NotificationText.groupLabels(notification))",
            "Correlation ID: \(notification.groupID)",
            "",
            "Alerts (\(NotificationText.counts(notification))):",
        ]
        lines += list(notification.alerts)
        lines.append("")
        lines.append("Why \(lead.alert.name) scores \(NotificationText.number(lead.rating.score)) (\(lead.rating.priority.rawValue)):")
        for factor in lead.rating.topFactors {
            lines.append(
                "- \(factor.name) \(NotificationText.number(factor.value)) × \(NotificationText.number(factor.weight)) = \(NotificationText.number(factor.contribution)): \(NotificationText.clip(factor.detail, to: 300))"
            )
        }
        return NotificationText.clip(lines.joined(separator: "\n"), to: maxBody)
    }

    /// The group's state and its alerts now.
    static func workNote(_ notification: AlertNotification) -> String {
        let heading =
            notification.status == .firing
            ? "alertd: still firing, \(NotificationText.counts(notification))."
            : "alertd: every alert of the group has resolved."
        return NotificationText.clip(([heading] + list(notification.alerts)).joined(separator: "\n"), to: maxBody)
    }

    /// One line per alert (at most `maxListed`).
    static func list(_ alerts: [NotifiedAlert]) -> [String] {
        var lines: [String] = []
        for notified in alerts.prefix(maxListed) {
            let alert = notified.alert
            let labels = NotificationText.labels(alert)
            var line =
                "- [\(notified.status == .firing ? "FIRING" : "RESOLVED")] [\(notified.rating.priority.rawValue)] score \(NotificationText.number(notified.rating.score)) \(alert.name) {\(NotificationText.clip(labels, to: 500))}"
            if let summary = alert.annotations["summary"] ?? alert.annotations["description"] { line += ": " + NotificationText.clip(summary, to: 500) }
            if let url = alert.generatorURL { line += " <\(NotificationText.clip(url, to: 1_000))>" }
            lines.append(line.components(separatedBy: .newlines).joined(separator: " "))
        }
        if alerts.count > maxListed { lines.append("…and \(alerts.count - maxListed) more alerts.") }
        return lines
    }

}
