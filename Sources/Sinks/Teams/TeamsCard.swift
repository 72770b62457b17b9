import AlertCore
import Foundation

/// A Teams message for a Workflows webhook: one Adaptive Card (version 1.4) with the group's
/// status, the lead alert's priority, the alert name and counts, a fact set about the group,
/// and one container per alert (status, priority, score, summary, key labels, top rating
/// factors, link). Teams refuses messages over about 28 KB, so the alerts that do not fit in
/// `sizeBudget` bytes are left out and counted in an "…and N more alerts" line.
enum TeamsCard {
    /// Bytes of the whole message.
    static let sizeBudget = 27_000
    static let cardVersion = "1.4"
    static let maxLabels = 8
    static let keyLabels = ["severity", "service", "team", "instance", "job", "namespace", "cluster"]

    /// The encoded message for `notification`.
    static func body(for notification: AlertNotification) throws(DeliveryFailure) -> [UInt8] {
        let head = heading(notification)
        let items = notification.alerts.map(container)
        var total = try encode(message(head + [more(notification.alerts.count)])).count
        var fitting = 0
        for item in items {
            let size = try encode(item).count + 1
            if total + size > sizeBudget { break }
            total += size
            fitting += 1
        }
        while true {
            var body = head + items.prefix(fitting)
            if fitting < items.count { body.append(more(items.count - fitting)) }
            let bytes = try encode(message(body))
            if bytes.count <= sizeBudget || fitting == 0 { return bytes }
            fitting -= 1
        }
    }

    /// The Workflows envelope around a card with `body`.
    static func message(_ body: [JSONValue]) -> JSONValue {
        let card: JSONValue = .object([
            "type": .string("AdaptiveCard"),
            "$schema": .string("http://adaptivecards.io/schemas/adaptive-card.json"),
            "version": .string(cardVersion),
            "msteams": .object(["width": .string("Full")]),
            "body": .array(body),
        ])
        return .object([
            "type": .string("message"),
            "attachments": .array([
                .object([
                    "contentType": .string("application/vnd.microsoft.card.adaptive"),
                    "contentUrl": .null,
                    "content": card,
                ])
            ]),
        ])
    }

    /// The title and the facts about the group.
    static func heading(_ notification: AlertNotification) -> [JSONValue] {
        let lead = notification.lead.rating
        let state = notification.status == .firing ? "FIRING" : "RESOLVED"
        let name = notification.group.labels["alertname"] ?? notification.lead.alert.name
        let facts: [(String, String)] = [
            ("Priority", lead.priority.rawValue),
            ("Score", NotificationText.number(lead.score)),
            ("Firing", String(notification.firing.count)),
            ("Resolved", String(notification.resolved.count)),
            ("Group", NotificationText.clip(NotificationText.groupLabels(notification), to: 500)),
            ("Tenant", notification.tenant.rawValue),
            ("Group ID", notification.groupID),
        ]
        return [
            text(
                "[\(state)] [\(lead.priority.rawValue)] \(NotificationText.clip(name, to: 200)) · \(NotificationText.counts(notification))", size: "Large",
                weight: "Bolder", color: notification.status == .firing ? "Attention" : "Good"),
            .object([
                "type": .string("FactSet"),
                "facts": .array(facts.map { JSONValue.object(["title": .string($0.0), "value": .string($0.1)]) }),
            ]),
        ]
    }

    /// One alert as a container of text blocks.
    static func container(_ notified: NotifiedAlert) -> JSONValue {
        let alert = notified.alert
        let firing = notified.status == .firing
        var items = [
            text(
                "**\(firing ? "FIRING" : "RESOLVED")** · **\(notified.rating.priority.rawValue)** · score \(NotificationText.number(notified.rating.score)) · **\(NotificationText.clip(alert.name, to: 200))**",
                color: firing ? "Attention" : "Good")
        ]
        if let summary = alert.annotations["summary"] ?? alert.annotations["description"] {
            items.append(text(NotificationText.clip(summary, to: 500)))
        }
        let labels = labelPairs(alert.labels).map { "\(NotificationText.clip($0.0, to: 50))=\(NotificationText.clip($0.1, to: 100))" }
        if !labels.isEmpty { items.append(text(labels.joined(separator: " · "), subtle: true)) }
        let factors = notified.rating.topFactors.prefix(5).map {
            "\($0.name) \(NotificationText.number($0.value)) × \(NotificationText.number($0.weight)) = \(NotificationText.number($0.contribution)) (\(NotificationText.clip($0.detail, to: 150)))"
        }
        if !factors.isEmpty { items.append(text("Why: " + factors.joined(separator: " · "), subtle: true)) }
        var footer = "started \(RFC3339.string(from: alert.startsAt))"
        if let url = alert.generatorURL, url.utf8.count <= 1_000, !url.contains(")") { footer = "[Source](\(url)) · " + footer }
        items.append(text(footer, subtle: true))
        return .object([
            "type": .string("Container"),
            "separator": .bool(true),
            "spacing": .string("Medium"),
            "items": .array(items),
        ])
    }

    /// `…and N more alerts`.
    static func more(_ count: Int) -> JSONValue {
        text("…and \(count) more alert\(count == 1 ? "" : "s")", weight: "Bolder", subtle: true)
    }

    static func text(_ text: String, size: String? = nil, weight: String? = nil, color: String? = nil, subtle: Bool = false) -> JSONValue {
        var block: [String: JSONValue] = ["type": .string("TextBlock"), "text": .string(text), "wrap": .bool(true)]
        if let size { block["size"] = .string(size) }
        if let weight { block["weight"] = .string(weight) }
        if let color { block["color"] = .string(color) }
        if subtle { block["isSubtle"] = .bool(true) }
        return .object(block)
    }

    /// The labels worth showing, key labels first, without `alertname`.
    static func labelPairs(_ labels: [String: String]) -> [(String, String)] {
        let key = keyLabels.filter { labels[$0] != nil }
        let rest = labels.keys.filter { $0 != "alertname" && !keyLabels.contains($0) }.sorted()
        return (key + rest).prefix(maxLabels).map { ($0, labels[$0]!) }
    }

    static func encode(_ value: JSONValue) throws(DeliveryFailure) -> [UInt8] {
        do {
            return Array(try SinkSettings.encoder.encode(value))
        } catch {
            throw DeliveryFailure(retryable: false, message: "cannot encode the Teams message: \(error)")
        }
    }
}
