import AlertCore
import Foundation

/// A Slack incoming webhook, as a Block Kit message: a header, the alert's key fields, and
/// its score with the factors behind it.
///
/// Settings: `url` (a secret reference: the webhook URL is itself a credential) and
/// `send_resolved` (default true).
public struct SlackSink: Sink {
    public let kind = "slack"

    public init() {}

    public func problems(settings: JSONValue, at path: String) -> [ConfigProblem] {
        let (object, problems) = SinkSettings.object(settings, at: path, allowed: ["url", "send_resolved"], required: ["url"])
        return problems + SinkSettings.secretProblems(object["url"], at: "\(path).url")
            + SinkSettings.boolProblems(object["send_resolved"], at: "\(path).send_resolved")
    }

    public func request(
        for notification: AlertNotification, settings: JSONValue, secrets: SecretResolver
    ) throws(DeliveryFailure) -> SinkRequest {
        let url = try secrets.value(try SinkSettings.string(settings, "url"))
        let body: [UInt8]
        do {
            body = Array(try SinkSettings.encoder.encode(SlackMessage(notification)))
        } catch {
            throw DeliveryFailure(retryable: false, message: "cannot encode the Slack message: \(error)")
        }
        return SinkRequest(url: url, headers: [("Content-Type", "application/json")], body: body)
    }
}
