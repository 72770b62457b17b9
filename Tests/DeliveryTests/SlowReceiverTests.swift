import AlertCore
import Foundation
import Logging
import Delivery
import Sinks
import Storage
import Testing
import TestSupport

/// One tenant's receiver that hangs holds that tenant's deliveries, not the other tenants'.
@Suite struct SlowReceiverTests {
    let logger = Logger(label: "test")

    /// Records one firing alert in `tenant`'s store and turns it into a notification due now.
    func notify(_ tenant: TenantID, stores: any TenantStoreProvider, catalog: TenantCatalog) async throws -> Fingerprint {
        let store: any TenantStore = try await stores.store(for: tenant)
        let alert = Alert(labels: ["alertname": "Down", "tenant": tenant.rawValue], startsAt: Date())
        let rating = Rating(score: 0.9, priority: .p1, urgent: true, factors: [])
        _ = try await store.record([RatedAlert(alert: alert, status: .firing, rating: rating)], at: Date(), policy: RatingPolicy())
        await AlertDispatcher(bus: InProcessAlertBus(capacity: 10, logger: logger), catalog: catalog, stores: stores, logger: logger).sweep()
        await GroupFlusher(catalog: catalog, stores: stores, logger: logger).flushDue()
        return alert.fingerprint
    }

    @Test func aHangingReceiverHoldsItsOwnTenantOnly() async throws {
        let hanging = HangingReceiver()
        let answering = ScriptedReceiver()
        try await hanging.serve { hangingPort in
            try await answering.serve { answeringPort in
                let slow = try TenantConfig.webhookTenant("slow", url: "http://127.0.0.1:\(hangingPort)/hook", groupWait: 0)
                let quick = try TenantConfig.webhookTenant("quick", url: "http://127.0.0.1:\(answeringPort)/hook", groupWait: 0)
                let catalog = TenantCatalog([slow, quick])
                let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alertd-slow-\(UUID())").path
                defer { try? FileManager.default.removeItem(atPath: directory) }
                let stores = SQLiteStoreProvider(directory: directory, logger: logger)
                try await NotificationSender.withSender(secrets: SecretResolver(environment: ["SECRET": "s"])) { sender in
                    let schedule = WorkSchedule(spacing: .milliseconds(10))
                    let worker = DeliveryWorker(
                        catalog: catalog, stores: stores, sender: sender, schedule: schedule, recheck: .seconds(3_600), logger: logger)
                    _ = try await notify(slow.id, stores: stores, catalog: catalog)
                    let delivering = Task { try await worker.run() }
                    defer { delivering.cancel() }
                    let slowSent = try await eventually(seconds: 5) { hanging.taken == 1 }
                    try #require(slowSent, "the slow tenant's notification went to its receiver")

                    let fingerprint = try await notify(quick.id, stores: stores, catalog: catalog)
                    schedule.announce(quick.id)
                    let quickStore: any TenantStore = try await stores.store(for: quick.id)
                    let delivered = try await eventually(seconds: 5) { try await quickStore.deliveries(fingerprint).first?.state == .delivered }
                    #expect(delivered, "the other tenant's notification is delivered while the slow receiver hangs")
                    #expect(await answering.received.count == 1)
                    #expect(hanging.taken == 1, "the slow receiver still holds its one request")
                    hanging.release()
                    delivering.cancel()
                    _ = try? await delivering.value
                }
                await stores.close()
            }
        }
    }
}
