import AlertCore
import Crypto
import Foundation

/// A generic HTTP endpoint: the notification as an Alertmanager webhook body (version 4) with
/// alertd's tenant and ratings added, signed with HMAC-SHA256 over the body.
///
/// Settings: `url` (an http(s) URL or a secret reference), `secret` (a secret reference),
/// `send_resolved` (default true), `timeout` (default 10s), `max_alerts` (default 0: every
/// alert; otherwise the first ones, the rest counted in `truncatedAlerts`, as Alertmanager
/// does) and `external_url` (sent as `externalURL`, default empty). The signature is sent as
/// `X-Alertd-Signature: sha256=<hex>`; `X-Alertd-Notification-Key` is the same on every
/// attempt of one notification, so a receiver can drop the repeat of a delivery that alertd
/// could not record before it stopped.
public struct WebhookSink: SingleRequestSink {
    public let kind = "webhook"

    public init() {}

    public struct Settings: ReceiverSettings, Equatable {
        /// An http(s) URL or a secret reference to one.
        public var url: String
        /// A secret reference to the HMAC key.
        public var secret: String
        public var sendResolved: Bool
        public var timeout: TimeInterval
        /// 0: every alert.
        public var maxAlerts: Int
        public var externalURL: String
    }

    public func read(_ settings: JSONValue, at path: String) -> Result<Settings, ConfigProblems> {
        let (object, problems) = SinkSettings.object(
            settings, at: path, allowed: ["url", "secret", "send_resolved", "timeout", "max_alerts", "external_url"],
            required: ["url", "secret"])
        var more: [ConfigProblem] = []
        let timeout = object["timeout"].map { $0.stringValue.flatMap(DurationText.seconds) }
        if let timeout, timeout.map({ $0 > 0 && $0 <= 120 }) != true {
            more.append(ConfigProblem(path: "\(path).timeout", reason: "must be a duration between 1ms and 2m"))
        }
        if let maxAlerts = object["max_alerts"], Self.count(maxAlerts) == nil {
            more.append(ConfigProblem(path: "\(path).max_alerts", reason: "must be a whole number, 0 or more"))
        }
        if let external = object["external_url"] {
            let text = external.stringValue ?? ""
            if URL(string: text).map({ ["http", "https"].contains($0.scheme ?? "") && $0.host != nil }) != true {
                more.append(ConfigProblem(path: "\(path).external_url", reason: "must be an http(s) URL"))
            }
        }
        let all =
            problems + SinkSettings.urlProblems(object["url"], at: "\(path).url")
            + SinkSettings.secretProblems(object["secret"], at: "\(path).secret")
            + SinkSettings.boolProblems(object["send_resolved"], at: "\(path).send_resolved") + more
        return SinkSettings.read(all) {
            Settings(
                url: object["url"]?.stringValue ?? "", secret: object["secret"]?.stringValue ?? "",
                sendResolved: SinkSettings.sendResolved(object), timeout: (timeout ?? nil) ?? 10,
                maxAlerts: object["max_alerts"].flatMap(Self.count) ?? 0, externalURL: object["external_url"]?.stringValue ?? "")
        }
    }

    public func request(
        for notification: AlertNotification, settings: Settings, secrets: SecretResolver
    ) throws(DeliveryFailure) -> SinkRequest {
        let url = try secrets.value(settings.url)
        let secret = try secrets.value(settings.secret)
        let message = WebhookMessage(notification, maxAlerts: settings.maxAlerts, externalURL: settings.externalURL)
        let body: [UInt8]
        do {
            body = Array(try SinkSettings.encoder.encode(message))
        } catch {
            throw DeliveryFailure(retryable: false, message: "cannot encode the webhook body: \(error)")
        }
        return SinkRequest(
            url: url,
            headers: [
                ("Content-Type", "application/json"),
                ("X-Alertd-Signature", Self.signature(body: body, secret: secret)),
                ("X-Alertd-Tenant", notification.tenant.rawValue),
                ("X-Alertd-Notification-Key", notification.key),
            ],
            body: body, timeout: settings.timeout)
    }

    /// `sha256=` and the lowercase hex HMAC-SHA256 of `body` keyed with `secret`.
    public static func signature(body: [UInt8], secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// A whole number of at least 0, or nil.
    static func count(_ value: JSONValue) -> Int? {
        guard let number = value.numberValue, number >= 0, number == number.rounded(), number <= Double(Int32.max) else { return nil }
        return Int(number)
    }
}
