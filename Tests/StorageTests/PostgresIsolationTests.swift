import AlertCore
import Foundation
import Logging
import PostgresNIO
@testable import Storage
import Testing

/// The database itself keeps tenants apart: under one tenant's role, another tenant's schema
/// is out of reach whatever the query says.
@Suite struct PostgresIsolationTests {
    let logger = Logger(label: "isolation-test")

    func withAdminClient<T: Sendable>(_ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
        let url = try #require(URLComponents(string: try StoreBackend.databaseURL()))
        let client = PostgresClient(
            configuration: .init(
                host: url.host ?? "127.0.0.1", port: url.port ?? 5432, username: url.user ?? "postgres", password: url.password,
                database: url.path.split(separator: "/").first.map(String.init), tls: .disable))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// The SQLSTATE of a failed query, nil when it succeeded.
    func sqlState(_ client: PostgresClient, as role: String, _ sql: String) async throws -> String? {
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT set_config('role', \(role), true)", logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            }
            return nil
        } catch let error as PostgresTransactionError {
            return (error.closureError as? PSQLError)?.serverInfo?[.sqlState]
        }
    }

    @Test func aTenantRoleCannotReadOrWriteAnotherTenantsTables() async throws {
        let a = StoreBackend.freshTenant("a")
        let b = StoreBackend.freshTenant("b")
        let (roleA, schemaA) = ("alertd_t_\(a.rawValue.replacingOccurrences(of: "-", with: "_"))", "tenant_\(a.rawValue.replacingOccurrences(of: "-", with: "_"))")
        let schemaB = "tenant_\(b.rawValue.replacingOccurrences(of: "-", with: "_"))"
        try await StoreBackend.postgres.withProvider(at: try StoreBackend.databaseURL()) { provider in
            let alert = Alert(labels: ["alertname": "Secret"], startsAt: Date())
            let rating = Rating(score: 0.5, priority: .p3, urgent: false, factors: [])
            _ = try await provider.store(for: b).record([RatedAlert(alert: alert, status: .firing, rating: rating)], at: Date(), policy: RatingPolicy())
            _ = try await provider.store(for: a).alerts(AlertQuery())
        }
        let own = try await withAdminClient { client in
            try await sqlState(client, as: roleA, "SELECT count(*) FROM \(schemaA).alerts")
        }
        #expect(own == nil)
        let statements = [
            "SELECT * FROM \(schemaB).alerts", "SELECT * FROM \(schemaB).events", "SELECT * FROM \(schemaB).notifications",
            "SELECT * FROM \(schemaB).delivery_attempts", "SELECT * FROM \(schemaB).source_reliability",
            "SELECT * FROM \(schemaB).response_history", "SELECT * FROM \(schemaB).schema_migrations",
            "SELECT * FROM \(schemaB).silences", "INSERT INTO \(schemaB).silences (id) VALUES ('planted')",
            "DELETE FROM \(schemaB).alerts", "CREATE TABLE \(schemaB).planted (x int)", "CREATE TABLE public.planted (x int)",
        ]
        let states = try await withAdminClient { client in
            var states: [String: String?] = [:]
            for statement in statements { states[statement] = try await sqlState(client, as: roleA, statement) }
            return states
        }
        for statement in statements {
            #expect(states[statement] == "42501", "\(statement) must be refused with insufficient_privilege")
        }
    }

    @Test func migrationsAreIdempotentAndSafeWhenReplicasStartTogether() async throws {
        let tenant = StoreBackend.freshTenant("m")
        let url = try StoreBackend.databaseURL()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    try await StoreBackend.postgres.withProvider(at: url) { provider in
                        try await provider.store(for: tenant).ping()
                    }
                }
            }
            try await group.waitForAll()
        }
        try await StoreBackend.postgres.withProvider(at: url) { provider in
            try await provider.store(for: tenant).ping()
        }
        let schema = "tenant_\(tenant.rawValue.replacingOccurrences(of: "-", with: "_"))"
        let versions = try await withAdminClient { client in
            var versions: [Int] = []
            let rows = try await client.query(PostgresQuery(unsafeSQL: "SELECT version FROM \(schema).schema_migrations ORDER BY version"))
            for try await version in rows.decode(Int.self) { versions.append(version) }
            return versions
        }
        #expect(versions == Array(1...TenantMigration.all.count), "each migration ran exactly once")
    }

    @Test func provisioningWaitsForAnotherTenantsProvisioningPastTheRequestDeadline() async throws {
        let tenant = StoreBackend.freshTenant("queued")
        let logger = logger
        // The lock is held past the deadline; the six deadlines also leave room for the other
        // tests' tenants queued for the same lock when the suite starts.
        let provider = try PostgresStoreProvider(url: try StoreBackend.databaseURL(), deadline: .seconds(8), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await provider.run() }
            defer { group.cancelAll() }
            let opening = try await withAdminClient { client in
                try await client.withTransaction(logger: logger) { connection in
                    try await connection.query("SELECT pg_advisory_xact_lock(\(PostgresStoreProvider.provisioningLock))", logger: logger)
                    let opening = Task { try await provider.store(for: tenant).ping() }
                    try await Task.sleep(for: .seconds(9))
                    return opening
                }
            }
            try await opening.value
        }
    }
}
