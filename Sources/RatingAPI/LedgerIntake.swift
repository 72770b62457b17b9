import AlertCore
import Foundation
import Logging
import Tracing

/// The embedded intake: records the alerts and their events in the tenant's ledger in one
/// transaction, then hands the events to the bus. A bus failure is logged only: the events
/// are durable and the router's ledger sweep routes them.
struct LedgerIntake: AlertIntake {
    let stores: any TenantStoreProvider
    let bus: any AlertBus
    let logger = Logger(label: "alertd.intake")

    func accept(_ alerts: [RatedAlert], tenant: TenantID, at now: Date, policy: RatingPolicy) async throws {
        let ledger: any AlertLedger = try await stores.store(for: tenant)
        let events = try await withSpan("store.record") { span in
            span.attributes["alertd.tenant"] = tenant.rawValue
            return try await ledger.record(alerts, at: now, policy: policy)
        }
        do {
            try await bus.publish(events)
        } catch {
            logger.warning("publishing failed; the ledger sweep routes the events", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
        }
    }
}
