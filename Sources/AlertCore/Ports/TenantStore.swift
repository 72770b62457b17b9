import Foundation

/// One tenant's durable state, every role of it: alerts and their ledger, rating statistics,
/// aggregation groups, the outbox with every delivery attempt, silences and upkeep. Every
/// method touches this tenant only. A service that needs one role takes that role
/// (`any Outbox`, `any GroupStore & SilenceStore`), not the whole store.
public protocol TenantStore: AlertLedger, RatingStats, GroupStore, Outbox, SilenceStore, TenantMaintenance {}

/// Opens each tenant's store.
public protocol TenantStoreProvider: Sendable {
    func store(for tenant: TenantID) async throws -> any TenantStore
    /// Throws when the tenant's store cannot be used (for `/readyz`).
    func ping(_ tenant: TenantID) async throws
}

/// Who waits for the store the current task asks for: a provider that sets tenants up on
/// first use sets up the ones requests wait for before those background work asks for.
public enum StoreDemand {
    /// True while a request is being answered (`StoreDemandMiddleware`).
    @TaskLocal public static var fromRequest = false
}

extension TenantStoreProvider {
    /// Opens the tenant's store if needed and asks it.
    public func ping(_ tenant: TenantID) async throws {
        try await store(for: tenant).ping()
    }
}

/// Carries recorded events from ingest to the router.
public protocol AlertBus: Sendable {
    /// Hands the events on. The events are already durable in the tenant's ledger, so a bus
    /// that cannot take them must throw rather than block forever.
    func publish(_ events: [AlertEvent]) async throws
}
