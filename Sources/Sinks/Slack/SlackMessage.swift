import AlertCore
import Foundation

/// A message for an incoming webhook or `chat.postMessage` (which also names the `channel`):
/// `text` as the notification fallback, and Block Kit `blocks`.
struct SlackMessage: Encodable {
    struct Text: Encodable {
        var type: String
        var text: String
    }

    struct Block: Encodable {
        var type: String
        var text: Text?
        var fields: [Text]?
        var elements: [Text]?
    }

    var channel: String?
    var text: String
    var blocks: [Block]

    init(_ notification: AlertNotification) {
        let alert = notification.alert
        let rating = notification.rating
        let state = notification.status == .firing ? "FIRING" : "RESOLVED"
        let title = "[\(state)] [\(rating.priority.rawValue)] \(alert.name)"
        text = "\(title): \(alert.annotations["summary"] ?? alert.labels["service"] ?? "")"

        var fields = [
            Text(type: "mrkdwn", text: "*Priority*\n\(rating.priority.rawValue)"),
            Text(type: "mrkdwn", text: "*Score*\n\(String(format: "%.2f", rating.score))"),
        ]
        for key in ["severity", "service", "team", "instance"] {
            if let value = alert.labels[key] { fields.append(Text(type: "mrkdwn", text: "*\(key.capitalized)*\n\(Self.escape(value))")) }
        }
        fields.append(Text(type: "mrkdwn", text: "*Source*\n\(Self.escape(alert.source))"))
        fields.append(Text(type: "mrkdwn", text: "*Started*\n\(RFC3339.string(from: alert.startsAt))"))

        let why = rating.topFactors.map {
            "• \($0.name) \(String(format: "%.2f", $0.value)) × \(String(format: "%.2f", $0.weight)) = \(String(format: "%.2f", $0.contribution)): \(Self.escape($0.detail))"
        }
        var blocks = [
            Block(type: "header", text: Text(type: "plain_text", text: String(title.prefix(150)))),
            Block(type: "section", fields: Array(fields.prefix(10))),
            Block(
                type: "section",
                text: Text(
                    type: "mrkdwn",
                    text: String(("*Why score \(String(format: "%.2f", rating.score))*\n" + why.joined(separator: "\n")).prefix(3000)))),
        ]
        if let summary = alert.annotations["summary"] ?? alert.annotations["description"] {
            blocks.insert(Block(type: "section", text: Text(type: "mrkdwn", text: String(Self.escape(summary).prefix(3000)))), at: 1)
        }
        blocks.append(
            Block(
                type: "context",
                elements: [Text(type: "mrkdwn", text: "tenant \(notification.tenant) · fingerprint \(notification.fingerprint)")]))
        self.blocks = blocks
    }

    /// Slack's mrkdwn control characters.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
