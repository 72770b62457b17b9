import AlertCore
import Foundation

/// Slack, as Block Kit messages about an alert group: a header with the group's status, the
/// lead alert's priority, the alert name and the counts, then one section per alert with its
/// priority, score, top rating factors, key labels and link. A group too large for one message
/// (50 blocks, 3,000 characters a section, about 12,000 characters of blocks) is split into
/// several, posted in order at least `messageInterval` (1 second, Slack's pace of one message
/// per second per channel) apart. Two ways in:
///
/// - an incoming webhook: `url` (a secret reference: the webhook URL is itself a credential);
/// - the Web API's `chat.postMessage`: `token` (a secret reference to a bot token with
///   `chat:write`) and `channel`, and `api_url` (default `https://slack.com/api`).
///
/// Slack answers many Web API failures with HTTP 200 and `{"ok": false, "error": …}`: those are
/// failures too, retried only for Slack's transient errors. A failed delivery is retried from
/// the message that failed: the ones Slack took are not posted again. `send_resolved` defaults
/// to true.
public struct SlackSink: Sink {
    public let kind = "slack"
    static let defaultAPI = "https://slack.com/api"
    /// Errors Slack's documentation gives as transient.
    static let transientErrors: Set<String> = [
        "ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
    ]

    /// The least time between two messages of one notification.
    public let messageInterval: Duration

    public init(messageInterval: Duration = .seconds(1)) {
        self.messageInterval = messageInterval
    }

    public struct Settings: ReceiverSettings, Equatable {
        /// Where the messages go.
        public enum Target: Sendable, Equatable {
            /// An incoming webhook: a secret reference to its URL.
            case webhook(url: String)
            /// `chat.postMessage`: a secret reference to the bot token, the channel, and the
            /// Web API's base URL (or a secret reference to it).
            case webAPI(token: String, channel: String, apiURL: String)
        }

        public var target: Target
        public var sendResolved: Bool
    }

    public func read(_ settings: JSONValue, at path: String) -> Result<Settings, ConfigProblems> {
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
        let all =
            problems + mode + SinkSettings.secretProblems(object["url"], at: "\(path).url")
            + SinkSettings.secretProblems(object["token"], at: "\(path).token")
            + SinkSettings.urlProblems(object["api_url"], at: "\(path).api_url")
            + SinkSettings.boolProblems(object["send_resolved"], at: "\(path).send_resolved")
        return SinkSettings.read(all) {
            let target: Settings.Target =
                if let token = object["token"]?.stringValue {
                    .webAPI(token: token, channel: object["channel"]?.stringValue ?? "", apiURL: object["api_url"]?.stringValue ?? Self.defaultAPI)
                } else {
                    .webhook(url: object["url"]?.stringValue ?? "")
                }
            return Settings(target: target, sendResolved: SinkSettings.sendResolved(object))
        }
    }

    /// Posts the messages of `notification` one after the other; returns the last status.
    public func deliver(_ notification: AlertNotification, settings: Settings, secrets: SecretResolver, http: SinkHTTP) async throws(DeliveryFailure)
        -> Int
    {
        try await deliver(notification, settings: settings, secrets: secrets, http: http, from: 0)
    }

    /// Posts the messages of `notification` from message `part` on; a failure carries how many
    /// of its messages Slack has taken.
    public func deliver(
        _ notification: AlertNotification, settings: Settings, secrets: SecretResolver, http: SinkHTTP, from part: Int
    ) async throws(DeliveryFailure) -> Int {
        var status = 0
        let requests = try requests(for: notification, settings: settings, secrets: secrets)
        for index in min(part, requests.count)..<requests.count {
            do throws(DeliveryFailure) {
                if index > part {
                    do {
                        try await Task.sleep(for: messageInterval)
                    } catch {
                        throw DeliveryFailure(retryable: true, message: "cancelled between Slack messages")
                    }
                }
                let response = try await http.send(requests[index])
                if let failure = Self.failure(inAnswer: response.body, status: response.status) { throw failure }
                status = response.status
            } catch {
                var failure = error
                failure.partsDelivered = index
                if requests.count > 1 { failure.message += " (message \(index + 1) of \(requests.count))" }
                throw failure
            }
        }
        return status
    }

    /// The requests that post `notification`, in order: one per message.
    public func requests(
        for notification: AlertNotification, settings: Settings, secrets: SecretResolver
    ) throws(DeliveryFailure) -> [SinkRequest] {
        let url: String
        var channel: String?
        var headers = [("Content-Type", "application/json; charset=utf-8")]
        switch settings.target {
        case .webAPI(let token, let target, let apiURL):
            channel = target
            let api = try secrets.value(apiURL)
            url = api.hasSuffix("/") ? "\(api)chat.postMessage" : "\(api)/chat.postMessage"
            headers.append(("Authorization", "Bearer \(try secrets.value(token))"))
        case .webhook(let webhook):
            url = try secrets.value(webhook)
        }
        var requests: [SinkRequest] = []
        for var message in SlackLayout.messages(for: notification) {
            message.channel = channel
            let body: [UInt8]
            do {
                body = Array(try SinkSettings.encoder.encode(message))
            } catch {
                throw DeliveryFailure(retryable: false, message: "cannot encode the Slack message: \(error)")
            }
            requests.append(SinkRequest(url: url, headers: headers, body: body))
        }
        return requests
    }

    /// `{"ok": false, "error": …}` under a 2xx is a failure; an incoming webhook answers `ok`.
    static func failure(inAnswer body: String, status: Int) -> DeliveryFailure? {
        guard let object = try? JSONValue.parse(Data(body.utf8)).objectValue, object["ok"] == .bool(false) else { return nil }
        let error = object["error"]?.stringValue ?? "unknown_error"
        return DeliveryFailure(
            retryable: Self.transientErrors.contains(error), httpStatus: status, message: "Slack answered ok:false: \(error)")
    }
}
