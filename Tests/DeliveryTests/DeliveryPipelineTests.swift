import AlertCore
import Foundation
import Logging
import Delivery
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
                receiver: "audit", groupBy: .all, groupWait: 0, groupInterval: 0.2,
                routes: [
                    Route(
                        path: "0", receiver: "pager", matchers: [try Matcher(parsing: "score>=0.75")], continueMatching: true, groupBy: .all,
                        groupWait: 0, groupInterval: 0.2)
                ]),
            receivers: [
                "audit": try SinkRegistry.standard.receiver(
                    named: "audit", kind: "webhook", settings: .object(["url": .string("http://127.0.0.1:1/audit"), "secret": .string("env:SECRET")])),
                "pager": try SinkRegistry.standard.receiver(named: "pager", kind: "webhook", settings: .object(pagerSettings)),
            ])
    }

    func event(score: Double, status: AlertStatus = .firing) -> AlertEvent {
        let alert = Alert(labels: ["alertname": "A"], startsAt: Date(timeIntervalSince1970: 1_800_000_000))
        return AlertEvent(
            tenant: TenantID("acme")!, id: 1, fingerprint: alert.fingerprint, alert: alert, status: status,
            rating: Rating(score: score, priority: Priority(score: score, threshold: 0.75), urgent: score >= 0.75, factors: []),
            recordedAt: alert.startsAt)
    }

    /// The router's stages over one tenant's SQLite store.
    struct Pipeline {
        let dispatcher: AlertDispatcher
        let flusher: GroupFlusher
        let worker: DeliveryWorker
        let store: any TenantStore
        let stores: any TenantStoreProvider
        let sender: NotificationSender
        let catalog: TenantCatalog

        /// Routes every recorded event and flushes the groups that are due.
        func route() async {
            await dispatcher.sweep()
            await flusher.flushDue()
        }
    }

    func withPipeline(_ config: TenantConfig, _ body: (Pipeline) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alertd-router-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stores = SQLiteStoreProvider(directory: directory, logger: logger)
        let catalog = TenantCatalog([config])
        do {
            try await NotificationSender.withSender(secrets: SecretResolver(environment: ["SECRET": "s"])) { sender in
                try await body(
                    Pipeline(
                        dispatcher: AlertDispatcher(
                            bus: InProcessAlertBus(capacity: 10, logger: logger), catalog: catalog, stores: stores, logger: logger),
                        flusher: GroupFlusher(catalog: catalog, stores: stores, logger: logger),
                        worker: DeliveryWorker(catalog: catalog, stores: stores, sender: sender, logger: logger),
                        store: try await stores.store(for: config.id), stores: stores, sender: sender, catalog: catalog))
            }
        } catch {
            await stores.close()
            throw error
        }
        await stores.close()
    }

    @Test func routeTreePicksReceiversAndGroups() throws {
        let config = try tenant()
        let dispatcher = AlertDispatcher(
            bus: InProcessAlertBus(capacity: 1, logger: logger), catalog: TenantCatalog([config]),
            stores: SQLiteStoreProvider(directory: "/nonexistent", logger: logger), logger: logger)
        let urgent = dispatcher.memberships(for: event(score: 0.9), config: config)
        #expect(urgent.map(\.receiver) == ["pager"])
        #expect(urgent.first?.group == AlertGroupKey(route: "0", labels: ["alertname": "A"]))
        #expect(dispatcher.memberships(for: event(score: 0.2), config: config).map(\.receiver) == ["audit"])
        #expect(dispatcher.memberships(for: event(score: 0.9, status: .resolved), config: config).map(\.receiver) == ["pager"])
        var discarding = config
        discarding.receivers["audit"] = .discarding(name: "audit")
        #expect(dispatcher.memberships(for: event(score: 0.2), config: discarding).isEmpty, "a receiver without a sink gets no group")
        #expect(dispatcher.memberships(for: event(score: 0.9), config: discarding).map(\.receiver) == ["pager"])
    }

    @Test func sweepRoutesLedgerEventsOnce() async throws {
        try await withPipeline(try tenant()) { pipeline in
            let store = pipeline.store
            let alert = Alert(labels: ["alertname": "A"], startsAt: Date())
            let rating = Rating(score: 0.9, priority: .p1, urgent: true, factors: [])
            _ = try await store.record([RatedAlert(alert: alert, status: .firing, rating: rating)], at: Date(), policy: RatingPolicy())
            await pipeline.route()
            await pipeline.route()
            #expect(try await store.unroutedEvents(limit: 10).isEmpty)
            let deliveries = try await store.deliveries(alert.fingerprint)
            #expect(deliveries.map(\.receiver) == ["pager"])
            #expect(deliveries[0].state == .pending)
        }
    }

    func record(_ labels: [String: String], score: Double = 0.9, in store: any TenantStore) async throws -> Fingerprint {
        let alert = Alert(labels: labels, startsAt: Date())
        let rating = Rating(score: score, priority: Priority(score: score, threshold: 0.75), urgent: score >= 0.75, factors: [])
        _ = try await store.record([RatedAlert(alert: alert, status: .firing, rating: rating)], at: Date(), policy: RatingPolicy())
        return alert.fingerprint
    }

    @Test func aGroupIsOneNotificationWithEveryAlertAfterGroupWait() async throws {
        var config = try tenant()
        config.route = Route(receiver: "audit", groupBy: .labels(["service"]), groupWait: 3, groupInterval: 60)
        try await withPipeline(config) { pipeline in
            let store = pipeline.store
            let start = Date()
            var fingerprints: [Fingerprint] = []
            for index in 0..<3 { fingerprints.append(try await record(["alertname": "A\(index)", "service": "db"], in: store)) }
            let web = try await record(["alertname": "A0", "service": "web"], in: store)
            await pipeline.route()
            #expect(try await store.dueDeliveries(at: Date(), limit: 10).isEmpty, "the groups wait group_wait")
            let firstFlush = try #require(try await store.nextGroupFlush())
            #expect(firstFlush.timeIntervalSince(start) >= 3, "the first flush is group_wait after the groups formed")
            var due = try await store.dueDeliveries(at: Date(), limit: 10)
            for _ in 0..<3 where due.count < 2 {
                guard let next = try await store.nextGroupFlush(), next.timeIntervalSince(firstFlush) < 30 else { break }
                try await Task.sleep(for: .seconds(max(0, next.timeIntervalSinceNow) + 0.05))
                await pipeline.route()
                due = try await store.dueDeliveries(at: Date(), limit: 10)
            }
            #expect(due.count == 2, "one notification per group")
            let db = try #require(due.first { $0.notification.group.labels == ["service": "db"] })
            #expect(Set(db.notification.alerts.map(\.fingerprint)) == Set(fingerprints))
            #expect(due.first { $0.notification.group.labels == ["service": "web"] }?.notification.alerts.map(\.fingerprint) == [web])
            await pipeline.route()
            #expect(try await store.dueDeliveries(at: Date(), limit: 10).count == 2, "flushing again adds nothing")
        }
    }

    @Test func aSilenceMutesAtFlushTimeAndItsEndLetsTheAlertThrough() async throws {
        var config = try tenant()
        config.route = Route(receiver: "audit", groupBy: .all, groupWait: 0, groupInterval: 0.2)
        try await withPipeline(config) { pipeline in
            let store = pipeline.store
            let now = Date()
            try await store.createSilence(
                Silence(matchers: [#"service="db""#], startsAt: now, endsAt: now.addingTimeInterval(3), createdBy: "alice", comment: "", createdAt: now))
            let silenced = try await record(["alertname": "A", "service": "db"], in: store)
            await pipeline.route()
            #expect(try await store.deliveries(silenced).isEmpty, "a silenced alert is stored but not notified")
            try await Task.sleep(for: .seconds(max(0, now.addingTimeInterval(3.3).timeIntervalSinceNow)))
            await pipeline.route()
            #expect(try await store.deliveries(silenced).count == 1, "when the silence ends the alert is notified without changing")
        }
    }

    @Test func aReceiverWithoutSendResolvedHearsNothingWhenItsGroupResolves() async throws {
        var config = try tenant(quietResolved: true)
        config.route = Route(receiver: "pager", groupBy: .all, groupWait: 0, groupInterval: 0.1)
        try await withPipeline(config) { pipeline in
            let store = pipeline.store
            let fingerprint = try await record(["alertname": "A"], in: store)
            await pipeline.route()
            _ = try await store.resolve(fingerprint, at: Date(), policy: RatingPolicy())
            try await Task.sleep(for: .milliseconds(150))
            await pipeline.route()
            #expect(try await store.deliveries(fingerprint).map(\.status) == [.firing])
            #expect(try await store.dueGroups(at: Date().addingTimeInterval(3_600), limit: 10).isEmpty, "the resolved group ended")
        }
    }

    @Test func inhibitionMutesTargetsWhileAMatchingSourceFires() async throws {
        var config = try tenant()
        config.inhibitRules = [
            InhibitRule(
                sourceMatchers: [try Matcher(parsing: #"severity="critical""#)], targetMatchers: [try Matcher(parsing: #"severity="warning""#)],
                equal: ["service"])
        ]
        try await withPipeline(config) { pipeline in
            let store = pipeline.store
            func record(_ labels: [String: String]) async throws -> Fingerprint {
                let alert = Alert(labels: labels, startsAt: Date())
                let rating = Rating(score: 0.9, priority: .p1, urgent: true, factors: [])
                _ = try await store.record([RatedAlert(alert: alert, status: .firing, rating: rating)], at: Date(), policy: RatingPolicy())
                return alert.fingerprint
            }
            let source = try await record(["alertname": "DBDown", "service": "db", "severity": "critical"])
            let muted = try await record(["alertname": "SlowQueries", "service": "db", "severity": "warning"])
            let other = try await record(["alertname": "SlowPages", "service": "web", "severity": "warning"])
            await pipeline.route()
            #expect(try await store.deliveries(source).map(\.receiver) == ["pager"], "a source is not muted by itself")
            #expect(try await store.deliveries(muted).isEmpty, "the same service's warning is inhibited")
            #expect(try await store.deliveries(other).map(\.receiver) == ["pager"], "another service's warning is not")
            #expect(try await store.unroutedEvents(limit: 10).isEmpty)
        }
    }

    @Test func aReceiverOverItsPaceDelaysNotificationsToSeparateSlotsWithoutDroppingThem() async throws {
        var config = try tenant()
        config.quotas.notificationsPerMinute = 2
        try await withPipeline(config) { pipeline in
            let store = pipeline.store
            var fingerprints: [Fingerprint] = []
            for index in 0..<4 {
                let alert = Alert(labels: ["alertname": "Paced\(index)"], startsAt: Date())
                let rating = Rating(score: 0.9, priority: .p1, urgent: true, factors: [])
                _ = try await store.record([RatedAlert(alert: alert, status: .firing, rating: rating)], at: Date(), policy: RatingPolicy())
                fingerprints.append(alert.fingerprint)
            }
            await pipeline.route()
            let start = Date()
            await pipeline.worker.deliverDue()
            var sent = 0
            var slots: [TimeInterval] = []
            for fingerprint in fingerprints {
                let delivery = try #require(try await store.deliveries(fingerprint).first)
                #expect(delivery.state == .pending, "nothing is dropped")
                let attempt = try #require(delivery.attempts.first)
                if attempt.outcome == .delayed, attempt.error == "pager is paced at 2 notifications per minute" {
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
        try await withPipeline(try tenant(giveUpAfter: 0.3)) { pipeline in
            let (store, worker) = (pipeline.store, pipeline.worker)
            let alert = Alert(labels: ["alertname": "A"], startsAt: Date())
            let rating = Rating(score: 0.2, priority: .p5, urgent: false, factors: [])
            _ = try await store.record([RatedAlert(alert: alert, status: .firing, rating: rating)], at: Date(), policy: RatingPolicy())
            await pipeline.route()
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

    @Test func aReceiverThatKeepsFailingIsHeldByItsCircuit() async throws {
        try await withPipeline(try tenant()) { pipeline in
            let store = pipeline.store
            let worker = DeliveryWorker(
                catalog: pipeline.catalog, stores: pipeline.stores, sender: pipeline.sender,
                breakerThreshold: 2, breakerCooldown: 30, logger: logger)
            let first = try await record(["alertname": "A"], score: 0.2, in: store)
            let second = try await record(["alertname": "B"], score: 0.2, in: store)
            await pipeline.route()
            for _ in 0..<20 {
                await worker.deliverDue()
                try await Task.sleep(for: .milliseconds(60))
            }
            let attempts = try await store.deliveries(first).flatMap(\.attempts) + store.deliveries(second).flatMap(\.attempts)
            let sent = attempts.filter { $0.outcome != .held }
            let held = attempts.filter { $0.outcome == .held && $0.error?.hasPrefix("the circuit of audit is open") == true }
            #expect(sent.count == 2, "two failures in a row open the circuit: \(attempts.map { $0.error ?? "" })")
            #expect(held.count == 2, "both notifications wait, none is dropped")
            let next = try #require(try await store.deliveries(first).first?.nextAttemptAt)
            #expect(next.timeIntervalSinceNow > 20, "held for the cool-down")
        }
    }

    @Test func aRemovedReceiverIsDeadLettered() async throws {
        try await withPipeline(try tenant()) { pipeline in
            let store = pipeline.store
            let alert = Alert(labels: ["alertname": "A"], startsAt: Date())
            _ = try await store.record(
                [RatedAlert(alert: alert, status: .firing, rating: Rating(score: 0.1, priority: .p5, urgent: false, factors: []))],
                at: Date(), policy: RatingPolicy())
            await pipeline.route()
            var changed = try tenant()
            changed.receivers["audit"] = nil
            pipeline.catalog.replace(with: [changed])
            await pipeline.worker.deliverDue()
            let record = try #require(try await store.deliveries(alert.fingerprint).first)
            #expect(record.state == .dead)
            #expect(record.attempts.first?.error?.contains("no longer configured") == true)
        }
    }
}
