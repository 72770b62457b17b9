import AlertCore
import AsyncHTTPClient
import Crypto
import Foundation
import Sinks
import TestSupport
import Testing

func sampleNotification(status: AlertStatus = .firing) -> AlertNotification {
    let alert = Alert(
        labels: ["alertname": "HighLatency", "service": "checkout", "severity": "critical"],
        annotations: ["summary": "p99 <2s> & rising"], source: "prometheus", startsAt: Date(timeIntervalSince1970: 1_800_000_000))
    let rating = Rating(
        score: 0.875, priority: .p1, urgent: true,
        factors: [
            RatingFactor(name: "severity", value: 1, weight: 0.5, contribution: 0.5, detail: "severity \"critical\""),
            RatingFactor(name: "reliability", value: 0.5, weight: 0.25, contribution: 0.125, detail: "source"),
            RatingFactor(name: "history", value: 1, weight: 0.25, contribution: 0.25, detail: "fast acks"),
        ])
    let event = AlertEvent(
        tenant: TenantID("acme")!, id: 7, fingerprint: alert.fingerprint, alert: alert, status: status, rating: rating,
        recordedAt: alert.startsAt)
    return AlertNotification(receiver: "hook", event: event)
}

@Suite struct WebhookSinkTests {
    let settings = JSONValue.object(["url": .string("http://127.0.0.1:1/hook"), "secret": .string("env:HOOK_SECRET")])

    @Test func signsTheBodyWithTheReceiverSecret() throws {
        let request = try WebhookSink().request(
            for: sampleNotification(), settings: settings, secrets: SecretResolver(environment: ["HOOK_SECRET": "s3cret"]))
        let signature = try #require(request.headers.first { $0.0 == "X-Alertd-Signature" }?.1)
        let expected = HMAC<SHA256>.authenticationCode(for: request.body, using: SymmetricKey(data: Data("s3cret".utf8)))
        #expect(signature == "sha256=" + expected.map { String(format: "%02x", $0) }.joined())
        let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(body["tenant"] as? String == "acme")
        #expect(body["status"] as? String == "firing")
        #expect((body["rating"] as? [String: Any])?["score"] as? Double == 0.875)
        #expect(((body["alert"] as? [String: Any])?["labels"] as? [String: String])?["alertname"] == "HighLatency")
        #expect((body["alert"] as? [String: Any])?["startsAt"] as? String == "2027-01-15T08:00:00.000Z")
    }

    @Test func aMissingSecretIsARetryableFailure() {
        #expect(throws: DeliveryFailure.self) {
            try WebhookSink().request(for: sampleNotification(), settings: settings, secrets: SecretResolver(environment: [:]))
        }
    }

    @Test func validatesSettings() {
        let sink = WebhookSink()
        #expect(sink.problems(settings: settings, at: "r").isEmpty)
        let bad = sink.problems(
            settings: .object(["url": .string("ftp://x"), "secret": .string("plain"), "timeout": .string("1 hour"), "extra": .null]),
            at: "r")
        #expect(Set(bad.map(\.path)) == ["r.url", "r.secret", "r.timeout", "r.extra"])
        #expect(Set(sink.problems(settings: .object([:]), at: "r").map(\.path)) == ["r.url", "r.secret"])
    }
}

@Suite struct SlackSinkTests {
    @Test func buildsABlockKitMessage() throws {
        let request = try SlackSink().request(
            for: sampleNotification(), settings: .object(["url": .string("env:SLACK_URL")]),
            secrets: SecretResolver(environment: ["SLACK_URL": "http://127.0.0.1:1/services/T/B/X"]))
        #expect(request.url == "http://127.0.0.1:1/services/T/B/X")
        let message = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        let blocks = try #require(message["blocks"] as? [[String: Any]])
        #expect(blocks.map { $0["type"] as? String } == ["header", "section", "section", "section", "context"])
        let header = try #require((blocks[0]["text"] as? [String: Any])?["text"] as? String)
        #expect(header == "[FIRING] [P1] HighLatency")
        #expect(((blocks[1]["text"] as? [String: Any])?["text"] as? String) == "p99 &lt;2s&gt; &amp; rising")
        let fields = try #require(blocks[2]["fields"] as? [[String: Any]]).compactMap { $0["text"] as? String }
        #expect(fields.contains("*Score*\n0.88"))
        #expect(fields.contains("*Service*\ncheckout"))
        let why = try #require((blocks[3]["text"] as? [String: Any])?["text"] as? String)
        #expect(why.hasPrefix("*Why score 0.88*\n• severity 1.00 × 0.50 = 0.50"))
        #expect((message["text"] as? String)?.contains("HighLatency") == true)
    }

    @Test func refusesAnInlineWebhookURL() {
        let problems = SlackSink().problems(
            settings: .object(["url": .string("https://hooks.slack.com/services/T/B/X")]), at: "receivers[0].slack")
        #expect(problems.map(\.path) == ["receivers[0].slack.url"])
    }
}

@Suite struct NotificationSenderTests {
    let receiver = ReceiverConfig(
        name: "hook", kind: "webhook", settings: .object(["url": .string("env:HOOK_URL"), "secret": .string("env:HOOK_SECRET")]))

    func sender(port: Int) -> NotificationSender {
        NotificationSender(
            client: HTTPClient.shared,
            secrets: SecretResolver(environment: ["HOOK_URL": "http://127.0.0.1:\(port)/hook", "HOOK_SECRET": "s"]))
    }

    @Test func classifiesAnswers() async throws {
        let endpoint = ScriptedReceiver(script: [
            (429, "7"), (503, nil), (400, nil), (200, nil),
        ])
        try await endpoint.serve { port in
            let sender = sender(port: port)
            for expected in [(true, 7.0 as Double?, 429), (true, nil, 503), (false, nil, 400)] {
                do throws(DeliveryFailure) {
                    _ = try await sender.send(sampleNotification(), to: receiver)
                    Issue.record("expected a failure")
                } catch {
                    #expect(error.retryable == expected.0)
                    #expect(error.retryAfter == expected.1)
                    #expect(error.httpStatus == expected.2)
                }
            }
            let status = try await sender.send(sampleNotification(), to: receiver)
            #expect(status == 200)
        }
        let received = await endpoint.received
        #expect(received.count == 4)
        #expect(received.allSatisfy { $0.path == "/hook" && $0.headers["x-alertd-signature"]?.hasPrefix("sha256=") == true })
    }

    @Test func anUnreachableTargetIsRetryable() async throws {
        let client = NotificationSender.makeHTTPClient()
        let sender = NotificationSender(
            client: client, secrets: SecretResolver(environment: ["HOOK_URL": "http://127.0.0.1:1/hook", "HOOK_SECRET": "s"]))
        do throws(DeliveryFailure) {
            _ = try await sender.send(sampleNotification(), to: receiver)
            Issue.record("expected a failure")
        } catch {
            #expect(error.retryable)
            #expect(error.httpStatus == nil)
        }
        try await client.shutdown()
    }

    @Test func honoursSendResolved() {
        let sender = sender(port: 1)
        #expect(sender.sendsResolved(receiver))
        var quiet = receiver
        quiet.settings = .object(["url": .string("env:HOOK_URL"), "secret": .string("env:S"), "send_resolved": .bool(false)])
        #expect(!sender.sendsResolved(quiet))
    }

    @Test func readsRetryAfterDates() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds("Fri, 15 Jan 2027 08:01:00 GMT", now: now) == 60)
        #expect(RetryAfter.seconds("soon", now: now) == nil)
    }
}
