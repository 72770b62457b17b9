import Foundation

/// Keeping a tenant's store healthy: its counts, retention and reachability.
public protocol TenantMaintenance: Sendable {
    var tenant: TenantID { get }

    /// Counts of what the store holds at `now`.
    func usage(at now: Date) async throws -> TenantUsage

    /// Deletes up to `limit` routed ledger events, up to `limit` finished (delivered or dead)
    /// notifications with their attempts, up to `limit` silences that ended, and the notification
    /// log of groups that no longer exist, all older than `cutoff`; returns how many rows went.
    /// Current alert state is kept.
    func prune(before cutoff: Date, limit: Int) async throws -> Int

    /// Throws when the store cannot be reached.
    func ping() async throws
}
