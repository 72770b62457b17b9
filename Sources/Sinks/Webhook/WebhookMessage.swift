import AlertCore
import Foundation

/// The JSON body a webhook receives: Alertmanager's webhook payload (version 4), so a receiver
/// written for Alertmanager reads it unchanged, with alertd's additions: `tenant` and
/// `groupID` at the top and each alert's `rating`.
struct WebhookMessage: Encodable {
    /// One alert in Alertmanager's shape, plus its rating.
    struct Alert: Encodable {
        var status: AlertStatus
        var labels: [String: String]
        var annotations: [String: String]
        var startsAt: String
        /// `0001-01-01T00:00:00Z` while the alert fires, as Alertmanager sends it.
        var endsAt: String
        var generatorURL: String
        var fingerprint: String
        var rating: Rating
    }

    /// Alertmanager's zero time: the `endsAt` of an alert that has not ended.
    static let notEnded = "0001-01-01T00:00:00Z"

    var version = "4"
    var groupKey: String
    var truncatedAlerts: Int
    var status: AlertStatus
    var receiver: String
    var groupLabels: [String: String]
    var commonLabels: [String: String]
    var commonAnnotations: [String: String]
    var externalURL: String
    var alerts: [Alert]
    var tenant: String
    var groupID: String

    /// The message for `notification`, listing at most `maxAlerts` alerts (0: all of them) and
    /// counting the rest in `truncatedAlerts`.
    init(_ notification: AlertNotification, maxAlerts: Int, externalURL: String) {
        let listed = maxAlerts > 0 ? Array(notification.alerts.prefix(maxAlerts)) : notification.alerts
        groupKey = notification.group.key
        truncatedAlerts = notification.alerts.count - listed.count
        status = notification.status
        receiver = notification.receiver.rawValue
        groupLabels = notification.group.labels
        commonLabels = Self.common(listed.map(\.alert.labels))
        commonAnnotations = Self.common(listed.map(\.alert.annotations))
        self.externalURL = externalURL
        alerts = listed.map { notified in
            let endsAt = notified.status == .resolved ? notified.alert.endsAt.map(RFC3339.string(from:)) : nil
            return Alert(
                status: notified.status, labels: notified.alert.labels, annotations: notified.alert.annotations,
                startsAt: RFC3339.string(from: notified.alert.startsAt), endsAt: endsAt ?? Self.notEnded,
                generatorURL: notified.alert.generatorURL ?? "", fingerprint: notified.fingerprint.rawValue, rating: notified.rating)
        }
        tenant = notification.tenant.rawValue
        groupID = notification.groupID
    }

    /// The name/value pairs every one of `sets` has.
    static func common(_ sets: [[String: String]]) -> [String: String] {
        guard var shared = sets.first else { return [:] }
        for set in sets.dropFirst() {
            shared = shared.filter { set[$0.key] == $0.value }
        }
        return shared
    }
}
