import AlertCore
import Foundation
import PostgresNIO
import Testing

@testable import Storage

/// `/readyz` asks each tenant's store without setting up the tenants the process has not set
/// up yet; a tenant whose setup failed does not answer until a setup succeeds.
@Suite struct PostgresReadinessTests {
    func withProvider(_ body: @Sendable (PostgresStoreProvider) async throws -> Void) async throws {
        try await StoreBackend.postgres.withProvider(at: try StoreBackend.databaseURL()) { stores in
            try await body(try #require(stores as? PostgresStoreProvider))
        }
    }

    func schemaExists(_ namespace: PostgresNamespace, _ provider: PostgresStoreProvider) async throws -> Bool {
        let rows = try await provider.client.query(
            "SELECT count(*) FROM pg_namespace WHERE nspname = \(namespace.schema)", logger: StoreBackend.logger)
        var count = 0
        for try await found in rows.decode(Int.self) { count = found }
        return count == 1
    }

    @Test func aTenantNotSetUpAnswersWithoutBeingSetUp() async throws {
        try await withProvider { provider in
            let tenant = StoreBackend.freshTenant("ready")
            let namespace = PostgresNamespace(tenant: tenant)
            try await provider.ping(tenant)
            #expect(try await !schemaExists(namespace, provider), "asking whether it answers does not set it up")
            _ = try await provider.store(for: tenant)
            #expect(try await schemaExists(namespace, provider))
            try await provider.ping(tenant)
        }
    }

    @Test func aTenantWhoseSetupFailedDoesNotAnswerUntilASetupSucceeds() async throws {
        try await withProvider { provider in
            let tenant = StoreBackend.freshTenant("unready")
            let namespace = PostgresNamespace(tenant: tenant)
            // A schema of the tenant's name that the tenant's role cannot create tables in.
            try await provider.client.query(PostgresQuery(unsafeSQL: #"CREATE SCHEMA "\#(namespace.schema)""#), logger: StoreBackend.logger)
            await #expect(throws: (any Error).self) { _ = try await provider.store(for: tenant) }
            await #expect(throws: (any Error).self, "its setup failed") { try await provider.ping(tenant) }

            try await provider.client.query(PostgresQuery(unsafeSQL: #"DROP SCHEMA "\#(namespace.schema)""#), logger: StoreBackend.logger)
            await #expect(throws: (any Error).self, "the failure stands until a setup succeeds") { try await provider.ping(tenant) }
            _ = try await provider.store(for: tenant)
            try await provider.ping(tenant)
        }
    }
}
