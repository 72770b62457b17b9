import AlertCore
import Foundation
import Logging
@testable import Delivery
import Storage
import Testing
import TestSupport

/// The embedded bus hands the dispatcher what is queued at once, and leaves what does not fit
/// to the ledger sweep.
@Suite struct InProcessAlertBusTests {
    let logger = Logger(label: "test")

    func event(_ id: Int64, of tenant: String) -> AlertEvent {
        let alert = Alert(labels: ["alertname": "A\(id)"], startsAt: Date(timeIntervalSince1970: 1_800_000_000))
        return AlertEvent(
            tenant: TenantID("tenant-\(tenant)")!, id: id, fingerprint: alert.fingerprint, alert: alert, status: .firing,
            rating: Rating(score: 0.5, priority: .p3, urgent: false, factors: []), recordedAt: alert.startsAt)
    }

    @Test func aTakeHasWhatIsQueuedInOrderUpToItsLimit() async throws {
        let bus = InProcessAlertBus(capacity: 100, logger: logger)
        try await bus.publish([event(1, of: "a"), event(1, of: "b"), event(2, of: "a")])
        try await bus.publish([event(3, of: "a"), event(2, of: "b")])
        let first = await bus.take(upTo: 3)
        #expect(first.map { "\($0.tenant)/\($0.id)" } == ["tenant-a/1", "tenant-b/1", "tenant-a/2"])
        let rest = await bus.take(upTo: 100)
        #expect(rest.map { "\($0.tenant)/\($0.id)" } == ["tenant-a/3", "tenant-b/2"])
    }

    @Test func aFullBusLeavesTheNewestEventsToTheLedgerSweep() async throws {
        let bus = InProcessAlertBus(capacity: 2, logger: logger)
        try await bus.publish([event(1, of: "a"), event(2, of: "a"), event(1, of: "b")])
        #expect(await bus.take(upTo: 10).map(\.id) == [1, 2])
        #expect(bus.takeLeftInLedger() == [TenantID("tenant-b")!])
        #expect(bus.takeLeftInLedger().isEmpty, "each tenant left is told once")
    }

    @Test func aTakeWaitsForAPublishAndEndsWhenCancelled() async throws {
        let bus = InProcessAlertBus(capacity: 10, logger: logger)
        let waiting = Task { await bus.take(upTo: 10) }
        try await Task.sleep(for: .milliseconds(50))
        try await bus.publish([event(7, of: "a")])
        #expect(await waiting.value.map(\.id) == [7])

        let cancelled = Task { await bus.take(upTo: 10) }
        try await Task.sleep(for: .milliseconds(50))
        cancelled.cancel()
        #expect(await cancelled.value.isEmpty)
    }

    @Test func theDispatcherRoutesEveryTenantsPublishedEvents() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alertd-bus-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stores = SQLiteStoreProvider(directory: directory, logger: logger)
        let tenants = try ["tenant-a", "tenant-b", "tenant-c"].map {
            try TenantConfig.webhookTenant($0, url: "http://127.0.0.1:1/hook", groupWait: 60)
        }
        let bus = InProcessAlertBus(capacity: 10_000, logger: logger)
        let dispatcher = AlertDispatcher(bus: bus, catalog: TenantCatalog(tenants), stores: stores, logger: logger)
        let routing = Task { try await dispatcher.run() }
        for round in 0..<20 {
            for tenant in tenants {
                let store: any TenantStore = try await stores.store(for: tenant.id)
                let alerts = (0..<10).map { index in
                    RatedAlert(
                        alert: Alert(labels: ["alertname": "A", "n": "\(round)-\(index)"], startsAt: Date()), status: .firing,
                        rating: Rating(score: 0.5, priority: .p3, urgent: false, factors: []))
                }
                try await bus.publish(try await store.record(alerts, at: Date(), policy: RatingPolicy()))
            }
        }
        let everyEventRouted = try await eventually(seconds: 5) {
            var unrouted = 0
            for tenant in tenants {
                let store: any TenantStore = try await stores.store(for: tenant.id)
                unrouted += try await store.unroutedEvents(limit: 1_000).count
            }
            return unrouted == 0
        }
        #expect(everyEventRouted, "every published event of every tenant is routed")
        routing.cancel()
        _ = try? await routing.value
        await stores.close()
    }
}
