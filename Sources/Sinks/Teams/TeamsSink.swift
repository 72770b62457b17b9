import AlertCore
import Foundation

/// Microsoft Teams through a Workflows (Power Automate) webhook, the successor of the retired
/// Office 365 connectors: one message per notification, `{"type": "message", "attachments":
/// [...]}` with an Adaptive Card 1.4 showing the group and its alerts (priority, score, top
/// rating factors, labels, links). Workflows answers 202 Accepted; a message over Teams' 28 KB
/// limit would be refused, so the card lists as many alerts as fit and counts the rest.
///
/// Settings: `url` (the webhook URL the Workflows trigger shows; it carries a signature, so
/// prefer a secret reference) and `send_resolved` (default true).
public struct TeamsSink: SingleRequestSink {
    public let kind = "teams"

    public init() {}

    public struct Settings: ReceiverSettings, Equatable {
        /// The Workflows webhook URL or a secret reference to it.
        public var url: String
        public var sendResolved: Bool
    }

    public func read(_ settings: JSONValue, at path: String) -> Result<Settings, ConfigProblems> {
        let (object, problems) = SinkSettings.object(settings, at: path, allowed: ["url", "send_resolved"], required: ["url"])
        let all =
            problems + SinkSettings.urlProblems(object["url"], at: "\(path).url")
            + SinkSettings.boolProblems(object["send_resolved"], at: "\(path).send_resolved")
        return SinkSettings.read(all) { Settings(url: object["url"]?.stringValue ?? "", sendResolved: SinkSettings.sendResolved(object)) }
    }

    public func request(
        for notification: AlertNotification, settings: Settings, secrets: SecretResolver
    ) throws(DeliveryFailure) -> SinkRequest {
        let url = try secrets.value(settings.url)
        return SinkRequest(url: url, headers: [("Content-Type", "application/json")], body: try TeamsCard.body(for: notification))
    }
}
