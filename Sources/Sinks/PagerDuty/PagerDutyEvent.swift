import AlertCore
import Foundation

/// A PagerDuty Events API v2 event (`POST /v2/enqueue`) for one alert group: `trigger` while
/// the group fires and `resolve` once it has resolved, both with the group's `dedup_key`, so
/// PagerDuty keeps one alert per alertd group.
struct PagerDutyEvent: Encodable {
    struct Payload: Encodable {
        var summary: String
        var source: String
        var severity: String
        var timestamp: Date
        var component: String?
        var group: String?
        var `class`: String
        var custom_details: [String: JSONValue]
    }

    struct Link: Encodable {
        var href: String
        var text: String
    }

    /// PagerDuty's limit on `payload.summary`, in characters.
    static let maxSummary = 1_024
    /// Alerts listed in `custom_details.alerts`; PagerDuty refuses events over 512 KB.
    static let maxListedAlerts = 50
    static let maxLinks = 5

    var routing_key: String
    var event_action: String
    var dedup_key: String
    var payload: Payload?
    var client = "alertd"
    var links: [Link]?

    init(_ notification: AlertNotification, routingKey: String) {
        routing_key = routingKey
        event_action = notification.status == .firing ? "trigger" : "resolve"
        dedup_key = notification.groupID
        guard notification.status == .firing else { return }
        let lead = notification.lead
        let alert = lead.alert
        let others = notification.firing.count - 1
        let suffix = others > 0 ? " (+\(others) more)" : ""
        let headline = alert.annotations["summary"].map { "\(alert.name): \($0)" } ?? alert.name
        let summary = NotificationText.clip("[\(lead.rating.priority.rawValue)] \(headline)", to: Self.maxSummary - suffix.unicodeScalars.count) + suffix

        var details: [String: JSONValue] = [
            "tenant": .string(notification.tenant.rawValue),
            "group": .object(notification.group.labels.mapValues(JSONValue.string)),
            "firing": .number(Double(notification.firing.count)),
            "resolved": .number(Double(notification.resolved.count)),
            "score": .number(lead.rating.score),
            "priority": .string(lead.rating.priority.rawValue),
            "factors": .string(lead.rating.topFactors.map { "\($0.name) \($0.detail)" }.joined(separator: "; ")),
            "labels": .object(alert.labels.mapValues(JSONValue.string)),
            "annotations": .object(alert.annotations.mapValues(JSONValue.string)),
            "alerts": .array(notification.alerts.prefix(Self.maxListedAlerts).map(Self.listed)),
        ]
        if notification.alerts.count > Self.maxListedAlerts {
            details["alerts_not_listed"] = .number(Double(notification.alerts.count - Self.maxListedAlerts))
        }
        payload = Payload(
            summary: summary, source: alert.labels["instance"] ?? alert.source, severity: Self.severity(lead.rating.priority),
            timestamp: alert.startsAt, component: alert.labels["service"], group: alert.labels["job"], class: alert.name,
            custom_details: details)

        var seen: Set<String> = []
        var links: [Link] = []
        for notified in notification.firing {
            guard let href = notified.alert.generatorURL, seen.insert(href).inserted else { continue }
            links.append(Link(href: href, text: "\(notified.alert.name) source"))
            if links.count == Self.maxLinks { break }
        }
        self.links = links.isEmpty ? nil : links
    }

    /// One alert as `custom_details.alerts` lists it.
    static func listed(_ notified: NotifiedAlert) -> JSONValue {
        var entry: [String: JSONValue] = [
            "fingerprint": .string(notified.fingerprint.rawValue),
            "status": .string(notified.status.rawValue),
            "alertname": .string(notified.alert.name),
            "priority": .string(notified.rating.priority.rawValue),
            "score": .number(notified.rating.score),
            "labels": .object(notified.alert.labels.mapValues(JSONValue.string)),
            "startsAt": .string(RFC3339.string(from: notified.alert.startsAt)),
        ]
        if let summary = notified.alert.annotations["summary"] { entry["summary"] = .string(NotificationText.clip(summary, to: 500)) }
        if let url = notified.alert.generatorURL { entry["generatorURL"] = .string(url) }
        return .object(entry)
    }

    /// P1 critical, P2 error, P3 warning, P4 and P5 info.
    static func severity(_ priority: Priority) -> String {
        switch priority {
        case .p1: "critical"
        case .p2: "error"
        case .p3: "warning"
        default: "info"
        }
    }

}
