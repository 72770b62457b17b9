import AlertCore
import Foundation
import Storage
import Testing

/// How acknowledgements, resolutions and feedback feed the rating inputs, on both stores.
extension TenantStoreConformanceTests {
    func responseHistory(_ store: any TenantStore, _ alert: Alert) async throws -> ResponseHistory? {
        try await store.ratingInputs(sources: [], groups: [alert.responseGroup]).history[alert.responseGroup]
    }

    /// Delivers every due notification at `now`.
    func deliverDue(_ store: any TenantStore, at now: Date) async throws {
        for delivery in try await store.dueDeliveries(at: now, limit: 10) {
            try await store.recordAttempt(
                delivery: delivery.id, DeliveryAttempt(at: now, httpStatus: 200, error: nil, outcome: .delivered), nextAttemptAt: nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func ackLatencyRunsFromTheFirstDeliveredNotification(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            var alert = firing()
            alert.startsAt = start.addingTimeInterval(-7_200)
            let event = try #require(try await store.record([rated(alert, at: start)], at: start, policy: policy).first)
            try await notify(event, store: store, at: start.addingTimeInterval(5))
            let failed = try #require(try await store.dueDeliveries(at: start.addingTimeInterval(10), limit: 10).first)
            try await store.recordAttempt(
                delivery: failed.id, DeliveryAttempt(at: start.addingTimeInterval(10), httpStatus: 503, error: "down", outcome: .retry),
                nextAttemptAt: start.addingTimeInterval(30))
            try await deliverDue(store, at: start.addingTimeInterval(30))
            _ = try await store.acknowledge(alert.fingerprint, by: "alice", at: start.addingTimeInterval(90), policy: policy)
            let acked = try #require(try await responseHistory(store, alert))
            #expect(acked.weight == 1)
            #expect(acked.latencySeconds == 60, "from the delivered attempt at +30 s, not from startsAt two hours earlier")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func ackLatencyWithoutANotificationRunsFromReceipt(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            var alert = firing()
            alert.startsAt = start.addingTimeInterval(7_200)
            _ = try await store.record([rated(alert, at: start)], at: start, policy: policy)
            let acked = try #require(try await store.acknowledge(alert.fingerprint, by: "alice", at: start.addingTimeInterval(1_800), policy: policy))
            #expect(acked.acknowledgedAt == start.addingTimeInterval(1_800))
            let history = try #require(try await responseHistory(store, alert))
            #expect(history.latencySeconds == 1_800, "a startsAt in the future does not make a slow ack instant")
            _ = try await store.acknowledge(alert.fingerprint, by: "bob", at: start.addingTimeInterval(1_900), policy: policy)
            #expect(try await responseHistory(store, alert)?.weight == 1, "a second ack is not a second response")
            #expect(try await store.alert(alert.fingerprint)?.acknowledgedBy == "alice")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func anAlertResolvedUnacknowledgedIsAMissedResponse(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let byHand = firing(instance: "a")
            _ = try await store.record([rated(byHand, at: start)], at: start, policy: policy)
            _ = try await store.resolve(byHand.fingerprint, at: start.addingTimeInterval(60), policy: policy)
            #expect(try await responseHistory(store, byHand)?.missed == 1)

            var byProducer = firing(instance: "b")
            _ = try await store.record([rated(byProducer, at: start)], at: start, policy: policy)
            byProducer.endsAt = start.addingTimeInterval(100)
            let later = start.addingTimeInterval(120)
            _ = try await store.record([rated(byProducer, at: later)], at: later, policy: policy)
            _ = try await store.record([rated(byProducer, at: later)], at: later, policy: policy)
            let missed = try #require(try await responseHistory(store, byProducer))
            #expect(abs(missed.missed - (1 * pow(0.5, 60 / policy.historyHalfLife) + 1)) < 1e-9, "one more miss, counted once")
            #expect(missed.weight == 0)
            #expect(missed.value(at: later, halfLife: policy.historyHalfLife) < ResponseHistory.prior)

            let acked = firing(instance: "c")
            _ = try await store.record([rated(acked, at: later)], at: later, policy: policy)
            _ = try await store.acknowledge(acked.fingerprint, by: "alice", at: later.addingTimeInterval(30), policy: policy)
            _ = try await store.resolve(acked.fingerprint, at: later.addingTimeInterval(60), policy: policy)
            let after = try #require(try await responseHistory(store, acked))
            #expect(after.weight == 1)
            #expect(abs(after.missed - missed.decayed(to: later.addingTimeInterval(30), halfLife: policy.historyHalfLife).missed) < 1e-9,
                "an acknowledged alert that resolves is no miss")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func anAckOnAResolvedAlertIsKeptButIsNoResponse(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let alert = firing()
            _ = try await store.record([rated(alert, at: start)], at: start, policy: policy)
            _ = try await store.resolve(alert.fingerprint, at: start.addingTimeInterval(60), policy: policy)
            let acked = try #require(try await store.acknowledge(alert.fingerprint, by: "alice", at: start.addingTimeInterval(90), policy: policy))
            #expect(acked.acknowledgedBy == "alice")
            #expect(acked.status == .resolved)
            let history = try #require(try await responseHistory(store, alert))
            #expect(history.weight == 0, "no response counted")
            #expect(history.missed == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func correctedFeedbackReplacesTheEarlierCount(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let alert = firing()
            _ = try await store.record([rated(alert, at: start)], at: start, policy: policy)
            let first = try #require(try await store.feedback(alert.fingerprint, .noise, at: start, policy: policy))
            #expect(first.previous == nil)
            #expect(first.record.feedback == .noise)
            let corrected = try #require(try await store.feedback(alert.fingerprint, .actionable, at: start.addingTimeInterval(60), policy: policy))
            #expect(corrected.previous == .noise)
            #expect(corrected.record.feedback == .actionable)
            #expect(corrected.record.feedbackAt == start.addingTimeInterval(60))
            let stats = try #require(try await store.ratingInputs(sources: ["prometheus"], groups: []).reliability["prometheus"])
            #expect(stats.noise < 1e-12, "the noise count was taken back")
            #expect(stats.actionable == 1)

            let again = try #require(try await store.feedback(alert.fingerprint, .actionable, at: start.addingTimeInterval(120), policy: policy))
            #expect(!again.changesFeedback)
            #expect(again.record.feedbackAt == start.addingTimeInterval(60))
            #expect(try await store.ratingInputs(sources: ["prometheus"], groups: []).reliability["prometheus"] == stats, "the same word twice counts once")
            #expect(try await store.alert(alert.fingerprint)?.feedback == .actionable)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func ratingInputsReadBeforeAChangeShowItAfter(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let alert = firing()
            let inputs = { try await store.ratingInputs(sources: [alert.source], groups: [alert.responseGroup]) }
            _ = try await store.record([rated(alert, at: start)], at: start, policy: policy)
            let before = try await inputs()
            #expect(before.reliability.isEmpty && before.history.isEmpty, "before any response")
            #expect(try await inputs().history.isEmpty, "and again")

            _ = try await store.acknowledge(alert.fingerprint, by: "alice", at: start.addingTimeInterval(30), policy: policy)
            #expect(try await inputs().history[alert.responseGroup]?.weight == 1, "an acknowledgement")
            _ = try await store.feedback(alert.fingerprint, .noise, at: start.addingTimeInterval(40), policy: policy)
            #expect(try await inputs().reliability[alert.source]?.noise == 1, "feedback")

            let other = firing(instance: "other")
            _ = try await store.record([rated(other, at: start)], at: start, policy: policy)
            #expect(try await inputs().history[alert.responseGroup]?.missed == 0)
            _ = try await store.resolve(other.fingerprint, at: start.addingTimeInterval(60), policy: policy)
            #expect(try await inputs().history[alert.responseGroup]?.missed == 1, "a missed response")
        }
    }

    @Test func anotherReplicasChangeReachesTheRatingWithinASecond() async throws {
        let location = try StoreBackend.postgres.makeLocation()
        try await StoreBackend.postgres.withProvider(at: location) { first in
            try await StoreBackend.postgres.withProvider(at: location) { second in
                let writer = try await first.store(for: tenant)
                let reader = try await second.store(for: tenant)
                let alert = firing()
                _ = try await writer.record([rated(alert, at: start)], at: start, policy: policy)
                #expect(try await responseHistory(reader, alert) == nil, "copied: no history yet")
                _ = try await writer.acknowledge(alert.fingerprint, by: "alice", at: start.addingTimeInterval(30), policy: policy)
                let began = ContinuousClock.now
                var seen = try await responseHistory(reader, alert)
                while seen == nil, ContinuousClock.now - began < .seconds(10) {
                    try await Task.sleep(for: .milliseconds(50))
                    seen = try await responseHistory(reader, alert)
                }
                #expect(seen?.weight == 1, "the other replica's acknowledgement reaches this one's rating once its copy ages out")
            }
        }
    }
}
