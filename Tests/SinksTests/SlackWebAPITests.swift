import AlertCore
import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import Sinks
import TestSupport
import Testing

/// Slack's `chat.postMessage` as its documentation describes it, for tests: a bearer bot
/// token, a JSON body with `channel` and `text` or `blocks` (at most 50 blocks, text at most
/// 40,000 characters); HTTP 200 with `{"ok": true, "channel", "ts"}`, or HTTP 200 with
/// `{"ok": false, "error"}` (`invalid_auth`, `channel_not_found`, `no_text`, `too_many_blocks`,
/// `msg_too_long`, `internal_error` while `transientFailures` lasts), and 429 with
/// `Retry-After` for the first `rateLimited` calls.
actor FakeSlackAPI {
    let token: String
    let channels: Set<String>
    private var rateLimited: Int
    private var transientFailures: Int
    /// The bodies of the messages Slack took.
    private(set) var posted: [Data] = []

    init(token: String, channels: Set<String>, rateLimited: Int = 0, transientFailures: Int = 0) {
        self.token = token
        self.channels = channels
        self.rateLimited = rateLimited
        self.transientFailures = transientFailures
    }

    func answer(authorization: String?, contentType: String?, body: Data) -> (status: Int, json: String, retryAfter: String?) {
        if rateLimited > 0 {
            rateLimited -= 1
            return (429, #"{"ok": false, "error": "ratelimited"}"#, "2")
        }
        guard authorization == "Bearer \(token)" else { return (200, #"{"ok": false, "error": "invalid_auth"}"#, nil) }
        guard contentType?.hasPrefix("application/json") == true,
            let message = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        else { return (200, #"{"ok": false, "error": "invalid_arguments"}"#, nil) }
        guard let channel = message["channel"] as? String, channels.contains(channel) else {
            return (200, #"{"ok": false, "error": "channel_not_found"}"#, nil)
        }
        let text = message["text"] as? String
        let blocks = message["blocks"] as? [Any]
        guard text?.isEmpty == false || blocks?.isEmpty == false else { return (200, #"{"ok": false, "error": "no_text"}"#, nil) }
        if (blocks?.count ?? 0) > 50 { return (200, #"{"ok": false, "error": "too_many_blocks"}"#, nil) }
        if (text?.count ?? 0) > 40_000 { return (200, #"{"ok": false, "error": "msg_too_long"}"#, nil) }
        if transientFailures > 0 {
            transientFailures -= 1
            return (200, #"{"ok": false, "error": "internal_error"}"#, nil)
        }
        posted.append(body)
        return (200, #"{"ok": true, "channel": "\#(channel)", "ts": "1800000000.000\#(posted.count)"}"#, nil)
    }

    func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Hummingbird.Router()
        router.post("api/chat.postMessage") { request, _ -> Response in
            var request = request
            let bytes = try await request.collectBody(upTo: 1 << 20)
            let answer = await self.answer(
                authorization: request.headers[.authorization], contentType: request.headers[.contentType], body: Data(buffer: bytes))
            var response = Response(
                status: HTTPResponse.Status(code: answer.status), headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: answer.json)))
            if let retryAfter = answer.retryAfter { response.headers[.retryAfter] = retryAfter }
            return response
        }
        return try await LocalHTTPServer.serve(router: router, body)
    }
}

@Suite struct SlackWebAPITests {
    func receiver(port: Int, channel: String) -> ReceiverConfig {
        ReceiverConfig(
            name: "oncall", kind: "slack",
            settings: .object([
                "token": .string("env:SLACK_BOT_TOKEN"), "channel": .string(channel), "api_url": .string("http://127.0.0.1:\(port)/api"),
            ]))
    }

    func sender(token: String = "xoxb-test-token") -> NotificationSender {
        NotificationSender(client: HTTPClient.shared, secrets: SecretResolver(environment: ["SLACK_BOT_TOKEN": token]))
    }

    @Test func postsABlockKitMessageToTheChannelWithTheBotToken() async throws {
        let slack = FakeSlackAPI(token: "xoxb-test-token", channels: ["C0ONCALL"])
        try await slack.serve { port in
            let status = try await sender().send(sampleNotification(), to: receiver(port: port, channel: "C0ONCALL"))
            #expect(status == 200)
        }
        let body = try #require(await slack.posted.first)
        let message = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(message["channel"] as? String == "C0ONCALL")
        #expect((message["text"] as? String)?.contains("HighLatency") == true)
        #expect((message["blocks"] as? [Any])?.isEmpty == false)
    }

    @Test(arguments: [
        ("C0ELSEWHERE", "xoxb-test-token", "channel_not_found"),
        ("C0ONCALL", "xoxb-revoked", "invalid_auth"),
    ])
    func okFalseIsAFailureThatIsNotRetried(channel: String, token: String, expected: String) async throws {
        let slack = FakeSlackAPI(token: "xoxb-test-token", channels: ["C0ONCALL"])
        try await slack.serve { port in
            do throws(DeliveryFailure) {
                _ = try await sender(token: token).send(sampleNotification(), to: receiver(port: port, channel: channel))
                Issue.record("HTTP 200 with ok:false must fail")
            } catch {
                #expect(!error.retryable)
                #expect(error.httpStatus == 200)
                #expect(error.message == "Slack answered ok:false: \(expected)")
            }
        }
        #expect(await slack.posted.isEmpty)
    }

    @Test func transientErrorsAndRateLimitsAreRetriedWithTheWaitSlackAsksFor() async throws {
        let slack = FakeSlackAPI(token: "xoxb-test-token", channels: ["C0ONCALL"], rateLimited: 1, transientFailures: 1)
        try await slack.serve { port in
            let target = receiver(port: port, channel: "C0ONCALL")
            do throws(DeliveryFailure) {
                _ = try await sender().send(sampleNotification(), to: target)
                Issue.record("expected the rate limit")
            } catch {
                #expect(error.retryable)
                #expect(error.httpStatus == 429)
                #expect(error.retryAfter == 2)
            }
            do throws(DeliveryFailure) {
                _ = try await sender().send(sampleNotification(), to: target)
                Issue.record("expected internal_error")
            } catch {
                #expect(error.retryable)
                let message = error.message
                #expect(message == "Slack answered ok:false: internal_error")
            }
            let status = try await sender().send(sampleNotification(), to: target)
            #expect(status == 200)
        }
        #expect(await slack.posted.count == 1)
    }

    @Test func settingsNameOneWayIn() {
        let sink = SlackSink()
        #expect(sink.problems(settings: .object(["token": .string("env:T"), "channel": .string("C1")]), at: "s").isEmpty)
        #expect(sink.problems(settings: .object(["token": .string("env:T")]), at: "s").map(\.path) == ["s.channel"])
        #expect(sink.problems(settings: .object(["token": .string("xoxb-inline"), "channel": .string("C1")]), at: "s").map(\.path) == ["s.token"])
        #expect(
            sink.problems(settings: .object(["url": .string("env:U"), "token": .string("env:T"), "channel": .string("C1")]), at: "s").map(\.path)
                .contains("s.token"))
        #expect(sink.problems(settings: .object([:]), at: "s").map(\.path) == ["s.url"])
    }
}
