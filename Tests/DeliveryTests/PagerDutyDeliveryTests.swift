import AlertCore
import Foundation
import Logging
import Delivery
import Sinks
import Storage
import Testing
import TestSupport

/// The PagerDuty sink against a fake that enforces the Events API v2 contract.
@Suite struct PagerDutyDeliveryTests {
    let logger = Logger(label: "pagerduty-test")
    static let routingKey = "R0123456789abcdef0123456789abcde"

    func tenant(port: Int) -> TenantConfig {
        var delivery = DeliveryPolicy()
        delivery.initialBackoff = 0.05
        delivery.maxBackoff = 0.1
        let settings: (String) -> JSONValue = { key in
            .object(["routing_key": .string("env:\(key)"), "url": .string("http://127.0.0.1:\(port)/v2/enqueue")])
        }
        return TenantConfig(
            id: TenantID("acme")!, name: "Acme",
            auth: AuthConfig(issuer: "https://idp.acme.example", audience: "alertd", keys: .inline(.object([:]))), delivery: delivery,
            route: Route(
                receiver: "pd", groupBy: .labels(["alertname"]), groupWait: 0, groupInterval: 0.1,
                routes: [Route(path: "0", receiver: "pd-misconfigured", matchers: [try! Matcher(parsing: "team=payments")], groupWait: 0)]),
            receivers: [
                "pd": try! SinkRegistry.standard.receiver(named: "pd", kind: "pagerduty", settings: settings("PD_KEY")),
                "pd-misconfigured": try! SinkRegistry.standard.receiver(named: "pd-misconfigured", kind: "pagerduty", settings: settings("PD_SHORT_KEY")),
            ])
    }

    /// Routes, flushes and delivers until `done` holds, for at most 10 seconds.
    func deliver(
        _ dispatcher: AlertDispatcher, _ flusher: GroupFlusher, _ worker: DeliveryWorker, until done: () async throws -> Bool
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            await dispatcher.sweep()
            await flusher.flushDue()
            await worker.deliverDue()
            if try await done() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test func firingTriggersAndResolvingResolvesTheSameDedupKeyRetryingThrottledEvents() async throws {
        let fake = FakePagerDuty(rateLimited: 1)
        try await fake.serve { port in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alertd-pd-\(UUID())").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let stores = SQLiteStoreProvider(directory: directory, logger: logger)
            let config = tenant(port: port)
            let catalog = TenantCatalog([config])
            let secrets = SecretResolver(environment: ["PD_KEY": Self.routingKey, "PD_SHORT_KEY": "too-short"])
            try await NotificationSender.withSender(secrets: secrets) { sender in
                let dispatcher = AlertDispatcher(
                    bus: InProcessAlertBus(capacity: 10, logger: logger), catalog: catalog, stores: stores, logger: logger)
                let flusher = GroupFlusher(catalog: catalog, stores: stores, logger: logger)
                let worker = DeliveryWorker(catalog: catalog, stores: stores, sender: sender, logger: logger)
                let store = try await stores.store(for: config.id)
                let rating = Rating(score: 0.9, priority: .p1, urgent: true, factors: [])
                let alert = Alert(
                    labels: ["alertname": "DiskFull", "service": "db", "instance": "db-1"], annotations: ["summary": "disk 95% full"],
                    source: "prometheus", startsAt: Date(), generatorURL: "http://prometheus/graph")
                _ = try await store.record([RatedAlert(alert: alert, status: .firing, rating: rating)], at: Date(), policy: RatingPolicy())
                #expect(try await deliver(dispatcher, flusher, worker) { await fake.accepted.count == 1 }, "delivered after the 429")
                _ = try await store.resolve(alert.fingerprint, at: Date(), policy: RatingPolicy())
                #expect(try await deliver(dispatcher, flusher, worker) { await fake.accepted.count == 2 })

                let events = await fake.accepted.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
                let trigger = try #require(events.first)
                #expect(trigger["event_action"] as? String == "trigger")
                #expect(events.last?["event_action"] as? String == "resolve")
                #expect(trigger["dedup_key"] as? String == events.last?["dedup_key"] as? String)
                let payload = try #require(trigger["payload"] as? [String: Any])
                #expect(payload["severity"] as? String == "critical")
                #expect(payload["summary"] as? String == "[P1] DiskFull: disk 95% full")
                #expect(payload["source"] as? String == "db-1" && payload["component"] as? String == "db")
                let attempts = try await store.deliveries(alert.fingerprint).first?.attempts.map(\.httpStatus)
                #expect(attempts == [429, 202], "the throttled event was retried")

                let misrouted = Alert(labels: ["alertname": "CardDeclines", "team": "payments"], startsAt: Date())
                _ = try await store.record([RatedAlert(alert: misrouted, status: .firing, rating: rating)], at: Date(), policy: RatingPolicy())
                #expect(
                    try await deliver(dispatcher, flusher, worker) {
                        try await store.deliveries(misrouted.fingerprint).contains { $0.receiver == "pd-misconfigured" && $0.state == .dead }
                    }, "a 400 is not retried")
                let dead = try #require(try await store.deliveries(misrouted.fingerprint).first { $0.receiver == "pd-misconfigured" })
                #expect(dead.attempts.map(\.httpStatus) == [400])
                #expect(await fake.refused == 1)
                await stores.close()
            }
        }
    }
}
