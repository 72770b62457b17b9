import AlertCore
import AsyncHTTPClient
import Foundation
import Sinks
import TestSupport
import Testing

/// The Slack sink against a fake Slack that enforces the Web API's and Block Kit's rules.
@Suite struct SlackWebAPITests {
    func settings(port: Int, channel: String) -> JSONValue {
        .object(["token": .string("env:SLACK_BOT_TOKEN"), "channel": .string(channel), "api_url": .string("http://127.0.0.1:\(port)/api")])
    }

    func deliver(
        _ notification: AlertNotification, port: Int, channel: String = "C0ONCALL", token: String = "xoxb-test-token",
        sink: SlackSink = SlackSink(), from part: Int = 0
    ) async throws(DeliveryFailure) -> Int {
        try await sink.deliver(
            notification, settings: settings(port: port, channel: channel),
            secrets: SecretResolver(environment: ["SLACK_BOT_TOKEN": token]), http: SampleAlerts.http(for: sink), from: part)
    }

    @Test func postsABlockKitMessageToTheChannelWithTheBotToken() async throws {
        let slack = FakeSlackAPI(token: "xoxb-test-token", channels: ["C0ONCALL"])
        try await slack.serve { port async throws in
            let status = try await deliver(SampleAlerts.notification(), port: port)
            #expect(status == 200)
        }
        let body = try #require(await slack.posted.first)
        let message = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(message["channel"] as? String == "C0ONCALL")
        #expect((message["text"] as? String)?.contains("HighLatency") == true)
        #expect((message["blocks"] as? [Any])?.count == 4)
        #expect(await slack.posted.count == 1)
    }

    @Test func aLargeGroupArrivesAsSeveralMessagesInOrderASecondApart() async throws {
        let slack = FakeSlackAPI(token: "xoxb-test-token", channels: ["C0ONCALL"])
        let notification = SampleAlerts.group(firing: 40, summaryLength: 400)
        try await slack.serve { port async throws in
            let status = try await deliver(notification, port: port)
            #expect(status == 200)
        }
        let posted = await slack.posted
        #expect(posted.count >= 2, "the fake took every message, so each kept Block Kit's limits")
        var instances: [String] = []
        for (index, body) in posted.enumerated() {
            let message = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let blocks = try #require(message["blocks"] as? [[String: Any]])
            let header = (blocks.first?["text"] as? [String: Any])?["text"] as? String
            #expect(header?.hasSuffix("(\(index + 1)/\(posted.count))") == true, "posted in order")
            for block in blocks {
                guard let text = (block["text"] as? [String: Any])?["text"] as? String, let range = text.range(of: "instance=`") else { continue }
                instances.append(String(text[range.upperBound...].prefix { $0 != "`" }))
            }
        }
        #expect(instances.sorted() == (0..<40).map { "web-\($0)" }.sorted(), "every alert, once")
        let arrivals = await slack.arrivals
        for (earlier, later) in zip(arrivals, arrivals.dropFirst()) {
            #expect(earlier.duration(to: later) >= .milliseconds(990), "Slack takes one message per second per channel")
        }
    }

    @Test func aRetryOfASplitGroupPostsOnlyTheMessagesSlackDidNotTake() async throws {
        let slack = FakeSlackAPI(token: "xoxb-test-token", channels: ["C0ONCALL"], rateLimitedAt: 1)
        let notification = SampleAlerts.group(firing: 40, summaryLength: 400)
        let sink = SlackSink(messageInterval: .milliseconds(10))
        try await slack.serve { port async throws in
            var resumeAt = 0
            do throws(DeliveryFailure) {
                _ = try await deliver(notification, port: port, sink: sink)
                Issue.record("the second message is rate limited")
            } catch {
                #expect(error.retryable && error.httpStatus == 429 && error.retryAfter == 2)
                #expect(error.partsDelivered == 1, "Slack took the first message")
                #expect(error.message.contains("(message 2 of "))
                resumeAt = error.partsDelivered ?? 0
            }
            #expect(try await deliver(notification, port: port, sink: sink, from: resumeAt) == 200)
        }
        let headers = try await slack.posted.map { body in
            let message = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let blocks = try #require(message["blocks"] as? [[String: Any]])
            return try #require((blocks.first?["text"] as? [String: Any])?["text"] as? String)
        }
        #expect(headers.count >= 2)
        for (index, header) in headers.enumerated() {
            #expect(header.hasSuffix("(\(index + 1)/\(headers.count))"), "each message once, in order: \(headers)")
        }
    }

    @Test func postsThroughAnIncomingWebhook() async throws {
        let slack = FakeSlackAPI(token: "xoxb-test-token", channels: [])
        try await slack.serve { port async throws in
            let sink = SlackSink()
            let environment = ["SLACK_URL": "http://127.0.0.1:\(port)\(FakeSlackAPI.webhookPath)"]
            let status = try await sink.deliver(
                SampleAlerts.notification(), settings: .object(["url": .string("env:SLACK_URL")]),
                secrets: SecretResolver(environment: environment), http: SampleAlerts.http(for: sink))
            #expect(status == 200)

            let revoked = await SampleAlerts.failure(
                sink, SampleAlerts.notification(), settings: .object(["url": .string("env:SLACK_URL")]),
                environment: ["SLACK_URL": "http://127.0.0.1:\(port)/services/T0001/B0001/REVOKED"])
            #expect(revoked?.httpStatus == 404)
            #expect(revoked?.retryable == false)
        }
        #expect(await slack.posted.count == 1)
    }

    @Test(arguments: [
        ("C0ELSEWHERE", "xoxb-test-token", "channel_not_found"),
        ("C0ONCALL", "xoxb-revoked", "invalid_auth"),
    ])
    func okFalseIsAFailureThatIsNotRetried(channel: String, token: String, expected: String) async throws {
        let slack = FakeSlackAPI(token: "xoxb-test-token", channels: ["C0ONCALL"])
        try await slack.serve { port async throws in
            do throws(DeliveryFailure) {
                _ = try await deliver(SampleAlerts.notification(), port: port, channel: channel, token: token)
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
        try await slack.serve { port async throws in
            do throws(DeliveryFailure) {
                _ = try await deliver(SampleAlerts.notification(), port: port)
                Issue.record("expected the rate limit")
            } catch {
                #expect(error.retryable)
                #expect(error.httpStatus == 429)
                #expect(error.retryAfter == 2)
            }
            do throws(DeliveryFailure) {
                _ = try await deliver(SampleAlerts.notification(), port: port)
                Issue.record("expected internal_error")
            } catch {
                #expect(error.retryable)
                let message = error.message
                #expect(message == "Slack answered ok:false: internal_error")
            }
            let status = try await deliver(SampleAlerts.notification(), port: port)
            #expect(status == 200)
        }
        #expect(await slack.posted.count == 1)
    }

    @Test func theFakeRefusesBlocksOverBlockKitsLimits() async throws {
        let header: [String: Any] = ["type": "header", "text": ["type": "plain_text", "text": String(repeating: "h", count: 151)]]
        let section: [String: Any] = ["type": "section", "text": ["type": "mrkdwn", "text": String(repeating: "s", count: 3_001)]]
        let fields: [String: Any] = ["type": "section", "fields": (0..<11).map { _ in ["type": "mrkdwn", "text": "f"] }]
        let small: [String: Any] = ["type": "section", "text": ["type": "mrkdwn", "text": "ok"]]
        #expect(FakeSlackAPI.blockProblem([header]) == "invalid_blocks")
        #expect(FakeSlackAPI.blockProblem([section]) == "invalid_blocks")
        #expect(FakeSlackAPI.blockProblem([fields]) == "invalid_blocks")
        #expect(FakeSlackAPI.blockProblem(Array(repeating: small, count: 51)) == "too_many_blocks")
        #expect(FakeSlackAPI.blockProblem(Array(repeating: small, count: 50)) == nil)
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
