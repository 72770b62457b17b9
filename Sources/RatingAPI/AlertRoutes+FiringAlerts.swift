import AlertCore
import Foundation
import HTTPCore

extension AlertRoutes {
    /// Every firing alert of the tenant with what mutes each now, highest score first.
    func firingAlerts(_ identity: TenantIdentity, config: TenantConfig) async throws -> FiringAlertView {
        let now = self.now()
        return try await readStore(identity) { store in
            let records = try await Self.allAlerts(in: store, status: .firing)
            let silences = try await store.silences(endingAfter: now)
            return FiringAlertView(
                alerts: records, mutes: MuteRules(silences: silences, inhibitRules: config.inhibitRules, firing: records, at: now))
        }
    }

    /// How many alerts one store query reads when every alert is wanted: a tenant at the
    /// default `maxActiveAlerts` is read in one query rather than re-sorted page by page.
    static let storePageSize = 10_000

    /// The store's alerts with `status`, highest score first, up to `limit`.
    static func allAlerts(in store: any TenantStore, status: AlertStatus?, limit: Int = .max) async throws -> [AlertRecord] {
        var query = AlertQuery(status: status, limit: min(Self.storePageSize, limit))
        var records: [AlertRecord] = []
        while records.count < limit {
            let page = try await store.alerts(query)
            records += page.alerts.prefix(limit - records.count)
            guard let next = page.nextOffset else { break }
            query.offset = next
        }
        return records
    }
}

/// A tenant's firing alerts and the silences and inhibitions that apply to them.
struct FiringAlertView {
    var alerts: [AlertRecord]
    var mutes: MuteRules
}
