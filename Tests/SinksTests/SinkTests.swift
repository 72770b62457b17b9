import AlertCore
import AsyncHTTPClient
import Foundation
import Sinks
import TestSupport
import Testing

@Suite struct NotificationSenderTests {
    let receiver = try! SinkRegistry.standard.receiver(
        named: "hook", kind: "webhook", settings: .object(["url": .string("env:HOOK_URL"), "secret": .string("env:HOOK_SECRET")]))

    func sender(port: Int) -> NotificationSender {
        NotificationSender(
            client: HTTPClient.shared,
            secrets: SecretResolver(environment: ["HOOK_URL": "http://127.0.0.1:\(port)/hook", "HOOK_SECRET": "s"]))
    }

    @Test func classifiesAnswers() async throws {
        let endpoint = ScriptedReceiver(script: [
            (429, "7"), (503, nil), (400, nil), (200, nil),
        ])
        try await endpoint.serve { port async throws in
            let sender = sender(port: port)
            for expected in [(true, 7.0 as Double?, 429), (true, nil, 503), (false, nil, 400)] {
                do throws(DeliveryFailure) {
                    _ = try await sender.send(SampleAlerts.notification(), to: receiver)
                    Issue.record("expected a failure")
                } catch {
                    #expect(error.retryable == expected.0)
                    #expect(error.retryAfter == expected.1)
                    #expect(error.httpStatus == expected.2)
                }
            }
            let status = try await sender.send(SampleAlerts.notification(), to: receiver)
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
            _ = try await sender.send(SampleAlerts.notification(), to: receiver)
            Issue.record("expected a failure")
        } catch {
            #expect(error.retryable)
            #expect(error.httpStatus == nil)
        }
        try await client.shutdown()
    }

    @Test func honoursSendResolved() throws {
        #expect(receiver.sendsResolved)
        let quiet = try SinkRegistry.standard.receiver(
            named: "quiet", kind: "webhook",
            settings: .object(["url": .string("env:HOOK_URL"), "secret": .string("env:S"), "send_resolved": .bool(false)]))
        #expect(!quiet.sendsResolved)
        #expect(ReceiverConfig.discarding(name: "void").sendsResolved)
    }

    /// Settings are read once, when the tenant loads; a receiver whose settings another sink
    /// read (or that holds none) fails at once, not retried.
    @Test func refusesSettingsItsSinkDidNotRead() async throws {
        var mixed = receiver
        mixed.sink = try SinkRegistry.standard.receiver(named: "t", kind: "teams", settings: .object(["url": .string("env:T")])).sink
        var empty = receiver
        empty.sink = nil
        for broken in [mixed, empty] {
            do throws(DeliveryFailure) {
                _ = try await sender(port: 1).send(SampleAlerts.notification(), to: broken)
                Issue.record("expected a failure")
            } catch {
                #expect(!error.retryable)
            }
        }
    }

    @Test func readsRetryAfterDates() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(RetryAfter.seconds("120", now: now) == 120)
        #expect(RetryAfter.seconds("Fri, 15 Jan 2027 08:01:00 GMT", now: now) == 60)
        #expect(RetryAfter.seconds("soon", now: now) == nil)
    }
}

@Suite struct SinkRegistryTests {
    @Test func everySinkValidatesAnEmptyReceiverWithAProblem() {
        let sinks: [any Sink] = [WebhookSink(), SlackSink(), PagerDutySink(), JiraSink(), ServiceNowSink(), TeamsSink()]
        for sink in sinks {
            #expect(!sink.problems(settings: .object([:]), at: "r").isEmpty, "\(sink.kind)")
            #expect(sink.problems(settings: .string("x"), at: "r").map(\.path).contains("r"), "\(sink.kind)")
        }
        #expect(Set(sinks.map { $0.kind }) == ["webhook", "slack", "pagerduty", "jira", "servicenow", "teams"])
    }

    @Test func retriesThrottlingAndServerErrorsOnly() {
        for sink in [JiraSink() as any Sink, ServiceNowSink(), TeamsSink(), PagerDutySink()] {
            #expect(sink.isRetryable(status: 429) && sink.isRetryable(status: 503), "\(sink.kind)")
            #expect(![400, 401, 403, 404, 413].contains { sink.isRetryable(status: $0) }, "\(sink.kind)")
        }
    }
}
