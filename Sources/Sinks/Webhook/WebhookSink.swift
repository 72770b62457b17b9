import AlertCore
import Crypto
import Foundation

/// A generic HTTP endpoint: the notification as JSON, signed with HMAC-SHA256 over the body.
///
/// Settings: `url` (an http(s) URL or a secret reference), `secret` (a secret reference),
/// `send_resolved` (default true), `timeout` (default 10s). The signature is sent as
/// `X-Alertd-Signature: sha256=<hex>`; `X-Alertd-Notification-Key` is the same on every
/// attempt of one notification, so a receiver can drop the repeat of a delivery that alertd
/// could not record before it stopped.
public struct WebhookSink: Sink {
    public let kind = "webhook"

    public init() {}

    public func problems(settings: JSONValue, at path: String) -> [ConfigProblem] {
        let (object, problems) = SinkSettings.object(
            settings, at: path, allowed: ["url", "secret", "send_resolved", "timeout"], required: ["url", "secret"])
        var timeoutProblems: [ConfigProblem] = []
        if let timeout = object["timeout"] {
            if timeout.stringValue.flatMap(DurationText.seconds).map({ $0 > 0 && $0 <= 120 }) != true {
                timeoutProblems.append(ConfigProblem(path: "\(path).timeout", reason: "must be a duration between 1ms and 2m"))
            }
        }
        return problems + SinkSettings.urlProblems(object["url"], at: "\(path).url")
            + SinkSettings.secretProblems(object["secret"], at: "\(path).secret")
            + SinkSettings.boolProblems(object["send_resolved"], at: "\(path).send_resolved") + timeoutProblems
    }

    public func request(
        for notification: AlertNotification, settings: JSONValue, secrets: SecretResolver
    ) throws(DeliveryFailure) -> SinkRequest {
        let url = try secrets.value(try SinkSettings.string(settings, "url"))
        let secret = try secrets.value(try SinkSettings.string(settings, "secret"))
        let body: [UInt8]
        do {
            body = Array(try SinkSettings.encoder.encode(WebhookMessage(notification)))
        } catch {
            throw DeliveryFailure(retryable: false, message: "cannot encode the webhook body: \(error)")
        }
        let timeout = settings["timeout"]?.stringValue.flatMap(DurationText.seconds) ?? 10
        return SinkRequest(
            url: url,
            headers: [
                ("Content-Type", "application/json"),
                ("X-Alertd-Signature", Self.signature(body: body, secret: secret)),
                ("X-Alertd-Tenant", notification.tenant.rawValue),
                ("X-Alertd-Notification-Key", notification.key),
            ],
            body: body, timeout: timeout)
    }

    /// `sha256=` and the lowercase hex HMAC-SHA256 of `body` keyed with `secret`.
    public static func signature(body: [UInt8], secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }
}
