import AlertCore
import Foundation

/// PagerDuty Events API v2: one PagerDuty alert per alert group. A `trigger` while the group
/// fires (again on every notification, which PagerDuty folds into the same alert), and a
/// `resolve` once the group has resolved, both with the group's id as `dedup_key`. The summary
/// comes from the highest-scored firing alert with `(+N more)` for the others, the severity
/// from its priority, and `custom_details` lists the group's alerts. PagerDuty answers 202; a
/// 400 (an invalid event or routing key) is not retried, a 429 or 5xx is.
///
/// Settings: `routing_key` (a secret reference to the integration key), `url` (default
/// `https://events.pagerduty.com/v2/enqueue`) and `send_resolved` (default true).
public struct PagerDutySink: SingleRequestSink {
    public let kind = "pagerduty"
    static let defaultURL = "https://events.pagerduty.com/v2/enqueue"

    public init() {}

    public struct Settings: ReceiverSettings, Equatable {
        /// A secret reference to the integration key.
        public var routingKey: String
        /// An http(s) URL or a secret reference to one.
        public var url: String
        public var sendResolved: Bool
    }

    public func read(_ settings: JSONValue, at path: String) -> Result<Settings, ConfigProblems> {
        let (object, problems) = SinkSettings.object(
            settings, at: path, allowed: ["routing_key", "url", "send_resolved"], required: ["routing_key"])
        let all =
            problems + SinkSettings.secretProblems(object["routing_key"], at: "\(path).routing_key")
            + SinkSettings.urlProblems(object["url"], at: "\(path).url")
            + SinkSettings.boolProblems(object["send_resolved"], at: "\(path).send_resolved")
        return SinkSettings.read(all) {
            Settings(
                routingKey: object["routing_key"]?.stringValue ?? "", url: object["url"]?.stringValue ?? Self.defaultURL,
                sendResolved: SinkSettings.sendResolved(object))
        }
    }

    public func request(
        for notification: AlertNotification, settings: Settings, secrets: SecretResolver
    ) throws(DeliveryFailure) -> SinkRequest {
        let routingKey = try secrets.value(settings.routingKey)
        let url = try secrets.value(settings.url)
        let body: [UInt8]
        do {
            body = Array(try SinkSettings.encoder.encode(PagerDutyEvent(notification, routingKey: routingKey)))
        } catch {
            throw DeliveryFailure(retryable: false, message: "cannot encode the PagerDuty event: \(error)")
        }
        return SinkRequest(url: url, headers: [("Content-Type", "application/json")], body: body)
    }
}
