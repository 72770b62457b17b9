import AlertCore
import Foundation
import Sinks
import TestSupport
import Testing

/// The PagerDuty sink against a fake that enforces the Events API v2 contract.
@Suite struct PagerDutySinkTests {
    static let routingKey = "R0123456789abcdef0123456789abcde"
    let sink = PagerDutySink()

    func settings(port: Int) -> JSONValue {
        .object(["routing_key": .string("env:PD_KEY"), "url": .string("http://127.0.0.1:\(port)/v2/enqueue")])
    }

    func deliver(_ notification: AlertNotification, port: Int, key: String = PagerDutySinkTests.routingKey) async throws(DeliveryFailure) -> Int {
        try await sink.deliver(
            notification, settings: settings(port: port), secrets: SecretResolver(environment: ["PD_KEY": key]), http: SampleAlerts.http(for: sink))
    }

    static func events(_ fake: FakePagerDuty) async -> [[String: Any]] {
        await fake.accepted.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    @Test func oneAlertPerGroupTriggeredWhileFiringAndResolvedAtTheEnd() async throws {
        let fake = FakePagerDuty()
        let firing = SampleAlerts.group(firing: 3, resolved: 1)
        let resolved = SampleAlerts.notification(
            (0..<4).map { SampleAlerts.alert(instance: "web-\($0)", status: .resolved) }, flushedAt: SampleAlerts.start + 900)
        try await fake.serve { port async throws in
            #expect(try await deliver(firing, port: port) == 202)
            #expect(try await deliver(firing, port: port) == 202)
            #expect(try await deliver(resolved, port: port) == 202)
        }
        let events = await Self.events(fake)
        #expect(events.map { $0["event_action"] as? String } == ["trigger", "trigger", "resolve"])
        #expect(Set(events.compactMap { $0["dedup_key"] as? String }) == [firing.groupID], "one dedup_key: the group's id")
        #expect(firing.groupID == resolved.groupID)
        #expect(await fake.alerts == [firing.groupID: "resolved"], "PagerDuty kept one alert for the group")

        let payload = try #require(events.first?["payload"] as? [String: Any])
        let filler = String(String(repeating: "latency above the SLO ", count: 10).prefix(200))
        #expect(payload["summary"] as? String == "[P1] HighLatency: web-0: \(filler) (+2 more)")
        #expect(payload["severity"] as? String == "critical")
        #expect(payload["source"] as? String == "web-0")
        #expect(payload["component"] as? String == "checkout")
        let details = try #require(payload["custom_details"] as? [String: Any])
        #expect(details["firing"] as? Double == 3)
        #expect(details["resolved"] as? Double == 1)
        let listed = try #require(details["alerts"] as? [[String: Any]])
        #expect(listed.map { ($0["labels"] as? [String: String])?["instance"] } == ["web-0", "web-1", "web-2", "web-3"])
        #expect(listed.last?["status"] as? String == "resolved")
        #expect((events.first?["links"] as? [[String: Any]])?.count == 1, "the firing alerts share one source link")
        #expect(events.last?["payload"] == nil)
    }

    @Test(arguments: [(Priority.p1, "critical"), (.p2, "error"), (.p3, "warning"), (.p4, "info"), (.p5, "info")])
    func severityComesFromTheLeadAlertsPriority(priority: Priority, severity: String) async throws {
        let fake = FakePagerDuty()
        try await fake.serve { port async throws in
            _ = try await deliver(SampleAlerts.notification([SampleAlerts.alert(priority: priority)]), port: port)
        }
        let payload = try #require(await Self.events(fake).first?["payload"] as? [String: Any])
        #expect(payload["severity"] as? String == severity)
        #expect((payload["summary"] as? String)?.hasPrefix("[\(priority.rawValue)] HighLatency: p99 <2s> & rising") == true)
        #expect((payload["summary"] as? String)?.contains("more)") == false, "a single alert has no others")
    }

    @Test func aLongSummaryIsCutToPagerDutysLimit() async throws {
        let fake = FakePagerDuty()
        try await fake.serve { port async throws in
            #expect(try await deliver(SampleAlerts.group(firing: 2, summaryLength: 2_000), port: port) == 202)
        }
        let summary = try #require((await Self.events(fake).first?["payload"] as? [String: Any])?["summary"] as? String)
        #expect(summary.count <= 1_024)
        #expect(summary.hasSuffix("… (+1 more)"))
    }

    @Test func aWrongRoutingKeyIsNotRetriedAndThrottlingIs() async throws {
        let fake = FakePagerDuty(rateLimited: 1)
        try await fake.serve { port async throws in
            do throws(DeliveryFailure) {
                _ = try await deliver(SampleAlerts.notification(), port: port)
                Issue.record("expected the throttle")
            } catch {
                #expect(error.retryable && error.httpStatus == 429 && error.retryAfter == 1)
            }
            do throws(DeliveryFailure) {
                _ = try await deliver(SampleAlerts.notification(), port: port, key: "too-short")
                Issue.record("expected a 400")
            } catch {
                #expect(!error.retryable && error.httpStatus == 400)
                #expect(error.message.contains("routing_key"))
            }
        }
        #expect(await fake.refused == 1)
    }

    @Test func validatesSettings() {
        #expect(sink.problems(settings: .object(["routing_key": .string("env:PD")]), at: "p").isEmpty)
        #expect(sink.problems(settings: .object(["routing_key": .string("R0123")]), at: "p").map(\.path) == ["p.routing_key"])
        #expect(Set(sink.problems(settings: .object(["url": .string("ftp://x")]), at: "p").map(\.path)) == ["p.routing_key", "p.url"])
    }
}
