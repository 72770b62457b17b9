import AlertCore
import Foundation
import Logging
import Router
import Sinks
import Storage
import Testing

@Suite struct DeliveryPipelineTests {
    let logger = Logger(label: "test")

    func tenant(giveUpAfter: TimeInterval = 3_600, quietResolved: Bool = false) throws -> TenantConfig {
        var delivery = DeliveryPolicy()
        delivery.initialBackoff = 0.05
        delivery.maxBackoff = 0.1
        delivery.giveUpAfter = giveUpAfter
        var pagerSettings: [String: JSONValue] = ["url": .string("http://127.0.0.1:1/pager"), "secret": .string("env:SECRET")]
        if quietResolved { pagerSettings["send_resolved"] = .bool(false) }
        return TenantConfig(
            id: TenantID("acme")!, name: "Acme",
            auth: AuthConfig(issuer: "https://idp.acme.example", audience: "alertd", keys: .inline(.object([:]))),
            delivery: delivery,
            route: Route(
                receiver: "audit",
                routes: [Route(receiver: "pager", matchers: [try Matcher(parsing: "score>=0.75")], continueMatching: true)]),
            receivers: [
                "audit": ReceiverConfig(
                    name: "audit", kind: "webhook", settings: .object(["url": .string("http://127.0.0.1:1/audit"), "secret": .string("env:SECRET")])),
                "pager": ReceiverConfig(name: "pager", kind: "webhook", settings: .object(pagerSettings)),
            ])
    }

    func event(score: Double, status: AlertStatus = .firing) -> AlertEvent {
        let alert = Alert(labels: ["alertname": "A"], startsAt: Date(timeIntervalSince1970: 1_800_000_000))
        return AlertEvent(
            tenant: TenantID("acme")!, id: 1, fingerprint: alert.fingerprint, alert: alert, status: status,
            rating: Rating(score: score, priority: Priority(score: score, threshold: 0.75), urgent: score >= 0.75, factors: []),
            recordedAt: alert.startsAt)
    }

    func withPipeline(
        _ config: TenantConfig, _ body: (AlertDispatcher, DeliveryWorker, any TenantStore, TenantCatalog) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alertd-router-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stores = SQLiteStoreProvider(directory: directory, logger: logger)
        let catalog = TenantCatalog([config])
        let client = NotificationSender.makeHTTPClient()
        let sender = NotificationSender(client: client, secrets: SecretResolver(environment: ["SECRET": "s"]))
        let dispatcher = AlertDispatcher(
            bus: InProcessAlertBus(capacity: 10, logger: logger), catalog: catalog, stores: stores, sender: sender, logger: logger)
        let worker = DeliveryWorker(catalog: catalog, stores: stores, sender: sender, logger: logger)
        try await body(dispatcher, worker, try await stores.store(for: config.id), catalog)
        await stores.close()
        try await client.shutdown()
    }

    @Test func routeTreePicksReceivers() throws {
        let config = try tenant()
        do {
            let dispatcher = AlertDispatcher(
                bus: InProcessAlertBus(capacity: 1, logger: logger), catalog: TenantCatalog([config]),
                stores: SQLiteStoreProvider(directory: "/nonexistent", logger: logger),
                sender: NotificationSender(client: .shared), logger: logger)
            #expect(dispatcher.notifications(for: event(score: 0.9), config: config).map(\.receiver) == ["pager"])
            #expect(dispatcher.notifications(for: event(score: 0.2), config: config).map(\.receiver) == ["audit"])
            let quiet = try tenant(quietResolved: true)
            #expect(dispatcher.notifications(for: event(score: 0.9, status: .resolved), config: quiet).isEmpty)
            #expect(dispatcher.notifications(for: event(score: 0.9, status: .resolved), config: config).map(\.receiver) == ["pager"])
        }
    }

    @Test func sweepRoutesLedgerEventsOnce() async throws {
        try await withPipeline(try tenant()) { dispatcher, _, store, _ in
            let alert = Alert(labels: ["alertname": "A"], startsAt: Date())
            let rating = Rating(score: 0.9, priority: .p1, urgent: true, factors: [])
            _ = try await store.record([RatedAlert(alert: alert, status: .firing, rating: rating)], at: Date())
            await dispatcher.sweep()
            await dispatcher.sweep()
            #expect(try await store.unroutedEvents(limit: 10).isEmpty)
            let deliveries = try await store.deliveries(alert.fingerprint)
            #expect(deliveries.map(\.receiver) == ["pager"])
            #expect(deliveries[0].state == .pending)
        }
    }

    @Test func inhibitionMutesTargetsWhileAMatchingSourceFires() async throws {
        var config = try tenant()
        config.inhibitRules = [
            InhibitRule(
                sourceMatchers: [try Matcher(parsing: #"severity="critical""#)], targetMatchers: [try Matcher(parsing: #"severity="warning""#)],
                equal: ["service"])
        ]
        try await withPipeline(config) { dispatcher, _, store, _ in
            func record(_ labels: [String: String]) async throws -> Fingerprint {
                let alert = Alert(labels: labels, startsAt: Date())
                let rating = Rating(score: 0.9, priority: .p1, urgent: true, factors: [])
                _ = try await store.record([RatedAlert(alert: alert, status: .firing, rating: rating)], at: Date())
                return alert.fingerprint
            }
            let source = try await record(["alertname": "DBDown", "service": "db", "severity": "critical"])
            let muted = try await record(["alertname": "SlowQueries", "service": "db", "severity": "warning"])
            let other = try await record(["alertname": "SlowPages", "service": "web", "severity": "warning"])
            await dispatcher.sweep()
            #expect(try await store.deliveries(source).map(\.receiver) == ["pager"], "a source is not muted by itself")
            #expect(try await store.deliveries(muted).isEmpty, "the same service's warning is inhibited")
            #expect(try await store.deliveries(other).map(\.receiver) == ["pager"], "another service's warning is not")
            #expect(try await store.unroutedEvents(limit: 10).isEmpty)
        }
    }

    @Test func aReceiverOverItsPaceDelaysNotificationsToSeparateSlotsWithoutDroppingThem() async throws {
        var config = try tenant()
        config.quotas.notificationsPerMinute = 2
        try await withPipeline(config) { dispatcher, worker, store, _ in
            var fingerprints: [Fingerprint] = []
            for index in 0..<4 {
                let alert = Alert(labels: ["alertname": "Paced\(index)"], startsAt: Date())
                let rating = Rating(score: 0.9, priority: .p1, urgent: true, factors: [])
                _ = try await store.record([RatedAlert(alert: alert, status: .firing, rating: rating)], at: Date())
                fingerprints.append(alert.fingerprint)
            }
            await dispatcher.sweep()
            let start = Date()
            await worker.deliverDue()
            var sent = 0
            var slots: [TimeInterval] = []
            for fingerprint in fingerprints {
                let delivery = try #require(try await store.deliveries(fingerprint).first)
                #expect(delivery.state == .pending, "nothing is dropped")
                let attempt = try #require(delivery.attempts.first)
                if attempt.error?.hasPrefix("delayed: pager is paced at 2 notifications per minute") == true {
                    #expect(attempt.httpStatus == nil)
                    slots.append(try #require(delivery.nextAttemptAt).timeIntervalSince(start))
                } else {
                    sent += 1
                }
            }
            #expect(sent == 2, "a burst of the pace goes at once")
            #expect(slots.count == 2)
            #expect(slots.sorted().first.map { (25...35).contains($0) } == true, "the next slot is one pace interval away: \(slots)")
            #expect(Set(slots.map { Int($0.rounded()) }).count == 2, "each delayed notification has its own slot")
        }
    }

    @Test func failuresAreRetriedThenDeadLettered() async throws {
        try await withPipeline(try tenant(giveUpAfter: 0.3)) { dispatcher, worker, store, _ in
            let alert = Alert(labels: ["alertname": "A"], startsAt: Date())
            let rating = Rating(score: 0.2, priority: .p5, urgent: false, factors: [])
            _ = try await store.record([RatedAlert(alert: alert, status: .firing, rating: rating)], at: Date())
            await dispatcher.sweep()
            await worker.deliverDue()
            var record = try #require(try await store.deliveries(alert.fingerprint).first)
            #expect(record.state == .pending)
            #expect(record.attempts.map(\.outcome) == [.retry])
            #expect(record.nextAttemptAt != nil)
            for _ in 0..<100 where record.state == .pending {
                try await Task.sleep(for: .milliseconds(20))
                await worker.deliverDue()
                record = try #require(try await store.deliveries(alert.fingerprint).first)
            }
            #expect(record.state == .dead)
            #expect(record.attempts.last?.outcome == .dead)
            #expect(record.attempts.allSatisfy { $0.error != nil })
            #expect(try await store.dueDeliveries(at: Date().addingTimeInterval(86_400), limit: 10).isEmpty)
        }
    }

    @Test func aRemovedReceiverIsDeadLettered() async throws {
        try await withPipeline(try tenant()) { dispatcher, worker, store, catalog in
            let alert = Alert(labels: ["alertname": "A"], startsAt: Date())
            _ = try await store.record(
                [RatedAlert(alert: alert, status: .firing, rating: Rating(score: 0.1, priority: .p5, urgent: false, factors: []))],
                at: Date())
            await dispatcher.sweep()
            var changed = try tenant()
            changed.receivers["audit"] = nil
            catalog.replace(with: [changed])
            await worker.deliverDue()
            let record = try #require(try await store.deliveries(alert.fingerprint).first)
            #expect(record.state == .dead)
            #expect(record.attempts.first?.error?.contains("no longer configured") == true)
        }
    }
}
