import AlertCore
import Foundation

/// A PagerDuty Events API v2 event (`POST /v2/enqueue`): `trigger` for a firing alert,
/// `resolve` for a resolved one, both with the same `dedup_key`, so PagerDuty keeps one
/// alert per alertd alert and episode.
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

    var routing_key: String
    var event_action: String
    var dedup_key: String
    var payload: Payload?
    var client = "alertd"
    var links: [Link]?

    init(_ notification: AlertNotification, routingKey: String) {
        let alert = notification.alert
        routing_key = routingKey
        event_action = notification.status == .firing ? "trigger" : "resolve"
        dedup_key = Self.dedupKey(notification)
        links = alert.generatorURL.map { [Link(href: $0, text: "Source")] }
        guard notification.status == .firing else { return }
        let rating = notification.rating
        let headline = alert.annotations["summary"].map { "\(alert.name): \($0)" } ?? alert.name
        payload = Payload(
            summary: String("[\(rating.priority.rawValue)] \(headline)".prefix(1_024)),
            source: alert.labels["instance"] ?? alert.source,
            severity: Self.severity(rating.priority),
            timestamp: alert.startsAt,
            component: alert.labels["service"],
            group: alert.labels["job"],
            class: alert.name,
            custom_details: [
                "score": .number(rating.score),
                "priority": .string(rating.priority.rawValue),
                "factors": .string(rating.topFactors.map { "\($0.name) \($0.detail)" }.joined(separator: "; ")),
                "labels": .object(alert.labels.mapValues(JSONValue.string)),
                "annotations": .object(alert.annotations.mapValues(JSONValue.string)),
            ])
    }

    /// `alertd/<tenant>/<fingerprint>/<episode start>`: at most 255 characters, the same for an
    /// episode's trigger and resolve.
    static func dedupKey(_ notification: AlertNotification) -> String {
        let start = Int64((notification.alert.startsAt.timeIntervalSince1970 * 1000).rounded())
        return "alertd/\(notification.tenant)/\(notification.fingerprint)/\(start)"
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
