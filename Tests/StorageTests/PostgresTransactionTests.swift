import AlertCore
import Foundation
import PostgresNIO
@testable import Storage
import Testing

/// A tenant transaction sends statements without waiting for their answers; what the
/// database refuses must still leave nothing behind.
@Suite struct PostgresTransactionTests {
    /// A provider on the test database with `tenant` provisioned.
    func withTenant<T: Sendable>(
        _ body: @Sendable (PostgresStoreProvider, PostgresNamespace) async throws -> T
    ) async throws -> T {
        let tenant = StoreBackend.freshTenant("tx")
        return try await StoreBackend.postgres.withProvider(at: try StoreBackend.databaseURL()) { stores in
            let provider = try #require(stores as? PostgresStoreProvider)
            _ = try await provider.store(for: tenant)
            return try await body(provider, PostgresNamespace(tenant: tenant))
        }
    }

    func planting(_ source: String, on connection: PostgresConnection) -> EventLoopFuture<PostgresQueryResult> {
        connection.query(
            "INSERT INTO source_reliability (source, actionable, noise, updated_at) VALUES (\(source), 1, 0, now())",
            logger: StoreBackend.logger)
    }

    func planted(_ provider: PostgresStoreProvider, _ namespace: PostgresNamespace) async throws -> [String] {
        try await provider.transaction(namespace) { connection in
            var sources: [String] = []
            let rows = try await connection.query("SELECT source FROM source_reliability ORDER BY source", logger: StoreBackend.logger)
            for try await source in rows.decode(String.self) { sources.append(source) }
            return sources
        }
    }

    @Test func statementsSentWithTheCommitAreCommittedAndAnswered() async throws {
        try await withTenant { provider, namespace in
            let count = try await provider.transaction(namespace, sending: { connection in
                let first = planting("first", on: connection)
                let second = planting("second", on: connection)
                return { try await first.get().metadata.rows! + second.get().metadata.rows! }
            })
            let sources = try await planted(provider, namespace)
            #expect(count == 2)
            #expect(sources == ["first", "second"])
        }
    }

    @Test func aStatementRefusedBeforeTheCommitLeavesNothing() async throws {
        try await withTenant { provider, namespace in
            await #expect(throws: PSQLError.self) {
                try await provider.transaction(namespace, sending: { connection in
                    let written = planting("written", on: connection)
                    let refused = connection.query("SELECT 1 / 0", logger: StoreBackend.logger)
                    let after = planting("after", on: connection)
                    return {
                        _ = try await written.get()
                        _ = try await refused.get()
                        _ = try await after.get()
                    }
                })
            }
            let left = try await planted(provider, namespace)
            #expect(left.isEmpty, "the commit became a rollback")
        }
    }

    @Test func failingToEnterTheTenantThrowsThatAndRunsNothing() async throws {
        try await withTenant { provider, namespace in
            let unknown = PostgresNamespace(tenant: StoreBackend.freshTenant("never-provisioned"))
            let error = await #expect(throws: PSQLError.self) {
                try await provider.transaction(unknown) { connection in
                    _ = try await connection.query(
                        PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(namespace.schema).source_reliability"), logger: StoreBackend.logger)
                }
            }
            #expect(error?.serverInfo?[.message]?.contains(unknown.role) == true, "the error is the role's, not the aborted statement's")
        }
    }
}
