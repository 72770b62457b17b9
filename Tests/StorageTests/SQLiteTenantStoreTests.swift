import AlertCore
import Foundation
import Logging
import Storage
import Testing

@Suite struct SQLiteTenantStoreTests {
    let tenant = TenantID("acme")!
    let policy = RatingPolicy()
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func withStore(_ body: (SQLiteStoreProvider, any TenantStore, String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alertd-store-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let provider = SQLiteStoreProvider(directory: directory, logger: Logger(label: "test"))
        let store = try await provider.store(for: tenant)
        try await body(provider, store, directory)
        await provider.close()
    }

    func rated(_ alert: Alert, score: Double = 0.5, at now: Date) -> RatedAlert {
        RatedAlert(
            alert: alert, status: alert.status(at: now),
            rating: Rating(score: score, priority: Priority(score: score, threshold: 0.75), urgent: score >= 0.75, factors: []))
    }

    func firing(_ name: String = "DiskFull") -> Alert {
        Alert(labels: ["alertname": name, "service": "db"], source: "prometheus", startsAt: start)
    }

    @Test func repeatedFiringAlertUpdatesOneRow() async throws {
        try await withStore { _, store, _ in
            let first = try await store.record([rated(firing(), at: start)], at: start)
            let again = try await store.record([rated(firing(), at: start)], at: start.addingTimeInterval(60))
            #expect(first.count == 1)
            #expect(again.isEmpty, "no new event while nothing changed")
            let page = try await store.alerts(AlertQuery())
            #expect(page.alerts.count == 1)
            #expect(page.alerts[0].occurrences == 2)
            #expect(page.alerts[0].lastSeenAt == start.addingTimeInterval(60))
            let escalated = try await store.record([rated(firing(), score: 0.9, at: start)], at: start.addingTimeInterval(120))
            #expect(escalated.map(\.rating.priority) == [.p1], "a new priority is an event")
        }
    }

    @Test func resolveAndRefireMakeEventsAndANewEpisode() async throws {
        try await withStore { _, store, _ in
            let fingerprint = firing().fingerprint
            _ = try await store.record([rated(firing(), at: start)], at: start)
            let resolved = try #require(try await store.resolve(fingerprint, at: start.addingTimeInterval(300)))
            #expect(resolved.0.status == .resolved)
            #expect(resolved.1?.status == .resolved)
            let refired = try await store.record([rated(firing(), at: start)], at: start.addingTimeInterval(600))
            #expect(refired.count == 1)
            #expect(refired[0].alert.startsAt == start.addingTimeInterval(600), "a new episode starts when it fires again")
            let notificationKeys = [resolved.1!, refired[0]].map { AlertNotification(receiver: "r", event: $0).key }
            #expect(Set(notificationKeys).count == 2)
        }
    }

    @Test func filtersAndPaginates() async throws {
        try await withStore { _, store, _ in
            let alerts = (0..<5).map { index in
                rated(Alert(labels: ["alertname": "A\(index)"], startsAt: start), score: Double(index) / 10, at: start)
            }
            _ = try await store.record(alerts, at: start)
            let page1 = try await store.alerts(AlertQuery(minScore: 0.15, limit: 2))
            #expect(page1.alerts.map(\.alert.name) == ["A4", "A3"])
            #expect(page1.nextOffset == 2)
            let page2 = try await store.alerts(AlertQuery(minScore: 0.15, limit: 2, offset: 2))
            #expect(page2.alerts.map(\.alert.name) == ["A2"])
            #expect(page2.nextOffset == nil)
            #expect(try await store.alerts(AlertQuery(status: .resolved)).alerts.isEmpty)
        }
    }

    @Test func acknowledgementAndFeedbackFeedTheRating() async throws {
        try await withStore { _, store, _ in
            let alert = firing()
            _ = try await store.record([rated(alert, at: start)], at: start)
            let acked = try await store.acknowledge(alert.fingerprint, by: "alice", at: start.addingTimeInterval(120), policy: policy)
            #expect(acked?.acknowledgedBy == "alice")
            let noted = try await store.feedback(alert.fingerprint, .noise, at: start.addingTimeInterval(180), policy: policy)
            #expect(noted?.feedback == .noise)
            let inputs = try await store.ratingInputs(sources: ["prometheus"], groups: [alert.responseGroup])
            let history = try #require(inputs.history[alert.responseGroup])
            #expect(history.weight == 1)
            #expect(history.latencySeconds == 120)
            let reliability = try #require(inputs.reliability["prometheus"])
            #expect(reliability.noise == 1)
            #expect(reliability.actionable == 0)
            #expect(try await store.acknowledge(Fingerprint(labels: ["x": "y"]), by: "a", at: start, policy: policy) == nil)
        }
    }

    @Test func outboxDeduplicatesAndRecordsAttempts() async throws {
        try await withStore { _, store, _ in
            let event = try #require(try await store.record([rated(firing(), at: start)], at: start).first)
            #expect(try await store.unroutedEvents(limit: 10).map(\.id) == [event.id])
            let notification = AlertNotification(receiver: "hook", event: event)
            try await store.route(event: event.id, notifications: [notification, notification], at: start)
            try await store.route(event: event.id, notifications: [notification], at: start)
            #expect(try await store.unroutedEvents(limit: 10).isEmpty)
            let due = try await store.dueDeliveries(at: start, limit: 10)
            #expect(due.count == 1)
            try await store.recordAttempt(
                delivery: due[0].id, DeliveryAttempt(at: start, httpStatus: 503, error: "HTTP 503", outcome: .retry),
                nextAttemptAt: start.addingTimeInterval(5))
            #expect(try await store.dueDeliveries(at: start.addingTimeInterval(1), limit: 10).isEmpty)
            let retry = try await store.dueDeliveries(at: start.addingTimeInterval(5), limit: 10)
            #expect(retry.first?.attempts == 1)
            #expect(retry.first?.firstAttemptAt == start)
            try await store.recordAttempt(
                delivery: retry[0].id, DeliveryAttempt(at: start.addingTimeInterval(5), httpStatus: 200, error: nil, outcome: .delivered),
                nextAttemptAt: nil)
            let records = try await store.deliveries(event.fingerprint)
            #expect(records.count == 1)
            #expect(records[0].state == .delivered)
            #expect(records[0].attempts.map(\.httpStatus) == [503, 200])
            #expect(try await store.dueDeliveries(at: start.addingTimeInterval(3_600), limit: 10).isEmpty)
        }
    }

    @Test func dataSurvivesReopening() async throws {
        try await withStore { provider, store, directory in
            _ = try await store.record([rated(firing(), at: start)], at: start)
            await provider.close()
            let reopened = SQLiteStoreProvider(directory: directory, logger: Logger(label: "test"))
            let again = try await reopened.store(for: tenant)
            #expect(try await again.alerts(AlertQuery()).alerts.count == 1)
            #expect(try await again.unroutedEvents(limit: 10).count == 1)
            await reopened.close()
            #expect(FileManager.default.fileExists(atPath: "\(directory)/acme.sqlite"))
        }
    }

    @Test func tenantsHaveSeparateFiles() async throws {
        try await withStore { provider, store, directory in
            _ = try await store.record([rated(firing(), at: start)], at: start)
            let other = try await provider.store(for: TenantID("globex")!)
            #expect(try await other.alerts(AlertQuery()).alerts.isEmpty)
            #expect(try await other.alert(firing().fingerprint) == nil)
            #expect(FileManager.default.fileExists(atPath: "\(directory)/globex.sqlite"))
        }
    }

    @Test func concurrentWritesAllLand() async throws {
        try await withStore { _, store, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        _ = try await store.record(
                            [self.rated(Alert(labels: ["alertname": "C\(index)"], startsAt: self.start), at: self.start)], at: self.start)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.alerts(AlertQuery(limit: 100)).alerts.count == 40)
            #expect(try await store.unroutedEvents(limit: 100).count == 40)
        }
    }
}
