import AlertCore
import Foundation
import PostgresNIO
@testable import Storage
import Testing

/// A response group's history on PostgreSQL when two transactions (two replicas' batches, or
/// a batch and an acknowledgement) change it at once.
@Suite struct PostgresResponseHistoryTests {
    @Test func twoTransactionsStartingAGroupsHistoryBothCount() async throws {
        let tenant = StoreBackend.freshTenant("rh")
        try await StoreBackend.postgres.withProvider(at: try StoreBackend.databaseURL()) { stores in
            let provider = try #require(stores as? PostgresStoreProvider)
            let store = try #require(try await provider.store(for: tenant) as? PostgresTenantStore)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let group = "DiskFull/storage"
            let hold = Gate()
            let first = Task {
                try await store.transaction { connection in
                    try await store.recordMissedResponse(group, at: now, policy: RatingPolicy(), on: connection)
                    await hold.pass()
                }
            }
            while !hold.started { await Task.yield() }
            let second = Task {
                try await store.transaction { connection in
                    try await store.recordMissedResponse(group, at: now, policy: RatingPolicy(), on: connection)
                }
            }
            while try await lockWaits(provider) == 0 { await Task.yield() }
            hold.release()
            try await first.value
            try await second.value
            let history = try #require(try await store.readRatingInputs(sources: [], groups: [group]).history[group])
            #expect(abs(history.missed - 2) < 1e-9, "the second miss counted after the first committed, not over it")
        }
    }

    /// How many sessions wait for a lock (asked as the provider's own user, who sees every
    /// session's wait; a tenant's role sees only its own).
    func lockWaits(_ provider: PostgresStoreProvider) async throws -> Int {
        let rows = try await provider.client.query(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'", logger: StoreBackend.logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
