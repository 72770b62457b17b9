import AlertCore
import Foundation

/// Text every sink's messages share.
enum NotificationText {
    /// `3 firing, 1 resolved`.
    static func counts(_ notification: AlertNotification) -> String {
        var parts: [String] = []
        if !notification.firing.isEmpty { parts.append("\(notification.firing.count) firing") }
        if !notification.resolved.isEmpty { parts.append("\(notification.resolved.count) resolved") }
        return parts.joined(separator: ", ")
    }

    /// The group's labels, `name=value` sorted by name, or `(all alerts)` when the route
    /// groups by no label.
    static func groupLabels(_ notification: AlertNotification) -> String {
        let labels = notification.group.labels
        return labels.isEmpty ? "(all alerts)" : labels.keys.sorted().map { "\($0)=\(labels[$0]!)" }.joined(separator: ", ")
    }

    /// A score, a factor's value or weight: two decimals.
    static func number(_ value: Double) -> String { String(format: "%.2f", value) }

    /// `text` cut to at most `limit` Unicode scalars, ending in `…` when it was cut.
    static func clip(_ text: String, to limit: Int) -> String {
        guard text.unicodeScalars.count > limit else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.prefix(max(0, limit - 1)))
        return String(scalars) + "…"
    }

    /// The alert's labels other than `alertname`, `name=value` sorted by name.
    static func labels(_ alert: Alert) -> String {
        alert.labels.keys.sorted().filter { $0 != "alertname" }.map { "\($0)=\(alert.labels[$0]!)" }.joined(separator: ", ")
    }
}
