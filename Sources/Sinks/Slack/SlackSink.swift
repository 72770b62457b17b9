import AlertCore
import Foundation

/// Slack, as a Block Kit message: a header, the alert's key fields, and its score with the
/// factors behind it. Two ways in:
///
/// - an incoming webhook: `url` (a secret reference: the webhook URL is itself a credential);
/// - the Web API's `chat.postMessage`: `token` (a secret reference to a bot token with
///   `chat:write`) and `channel`, and `api_url` (default `https://slack.com/api`).
///
/// Slack answers many failures with HTTP 200 and `{"ok": false, "error": …}`: those are
/// failures too, retried only for Slack's transient errors. `send_resolved` defaults to true.
/// At most one message per second per channel is Slack's limit; the default receiver pace
/// (`notificationsPerMinute: 60`) keeps to it.
public struct SlackSink: Sink {
    public let kind = "slack"
    static let defaultAPI = "https://slack.com/api"
    /// Errors Slack's documentation gives as transient.
    static let transientErrors: Set<String> = [
        "ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
    ]

    public init() {}

    public func problems(settings: JSONValue, at path: String) -> [ConfigProblem] {
        let (object, problems) = SinkSettings.object(
            settings, at: path, allowed: ["url", "token", "channel", "api_url", "send_resolved"], required: [])
        var mode: [ConfigProblem] = []
        switch (object["url"], object["token"]) {
        case (nil, nil): mode.append(ConfigProblem(path: "\(path).url", reason: "is required, or token and channel"))
        case (.some, .some): mode.append(ConfigProblem(path: "\(path).token", reason: "is not used with url: give one of them"))
        case (nil, .some):
            if object["channel"]?.stringValue?.isEmpty != false {
                mode.append(ConfigProblem(path: "\(path).channel", reason: "is required with token"))
            }
        case (.some, nil):
            for key in ["channel", "api_url"] where object[key] != nil {
                mode.append(ConfigProblem(path: "\(path).\(key)", reason: "is used with token only"))
            }
        }
        return problems + mode + SinkSettings.secretProblems(object["url"], at: "\(path).url")
            + SinkSettings.secretProblems(object["token"], at: "\(path).token")
            + SinkSettings.urlProblems(object["api_url"], at: "\(path).api_url")
            + SinkSettings.boolProblems(object["send_resolved"], at: "\(path).send_resolved")
    }

    public func request(
        for notification: AlertNotification, settings: JSONValue, secrets: SecretResolver
    ) throws(DeliveryFailure) -> SinkRequest {
        var message = SlackMessage(notification)
        let url: String
        var headers = [("Content-Type", "application/json; charset=utf-8")]
        if let token = settings["token"]?.stringValue {
            message.channel = try SinkSettings.string(settings, "channel")
            var api = Self.defaultAPI
            if let text = settings["api_url"]?.stringValue { api = try secrets.value(text) }
            url = api.hasSuffix("/") ? "\(api)chat.postMessage" : "\(api)/chat.postMessage"
            headers.append(("Authorization", "Bearer \(try secrets.value(token))"))
        } else {
            url = try secrets.value(try SinkSettings.string(settings, "url"))
        }
        let body: [UInt8]
        do {
            body = Array(try SinkSettings.encoder.encode(message))
        } catch {
            throw DeliveryFailure(retryable: false, message: "cannot encode the Slack message: \(error)")
        }
        return SinkRequest(url: url, headers: headers, body: body)
    }

    /// `{"ok": false, "error": …}` under a 2xx is a failure.
    public func failure(inAnswer body: String, status: Int) -> DeliveryFailure? {
        guard let object = try? JSONValue.parse(Data(body.utf8)).objectValue, object["ok"] == .bool(false) else { return nil }
        let error = object["error"]?.stringValue ?? "unknown_error"
        return DeliveryFailure(
            retryable: Self.transientErrors.contains(error), httpStatus: status, message: "Slack answered ok:false: \(error)")
    }
}
