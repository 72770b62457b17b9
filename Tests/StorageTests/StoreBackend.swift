import AlertCore
import Foundation
import Logging
import Storage
import TestSupport
import Testing

/// The two stores the conformance suite runs against. PostgreSQL comes from
/// `ALERTD_TEST_DATABASE_URL`, which `scripts/test.sh` sets after starting its own server.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static let logger = Logger(label: "store-test")

    /// Where a fresh set of stores lives: a new directory, or the test database.
    func makeLocation() throws -> String {
        switch self {
        case .sqlite:
            return FileManager.default.temporaryDirectory.appendingPathComponent("alertd-store-\(UUID())").path
        case .postgres:
            return try Self.databaseURL()
        }
    }

    static func databaseURL() throws -> String {
        try TestServices.value("ALERTD_TEST_DATABASE_URL")
    }

    /// Runs `body` with a provider at `location`, then shuts it down.
    func withProvider<T: Sendable>(at location: String, _ body: @Sendable (any TenantStoreProvider) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            let provider = SQLiteStoreProvider(directory: location, logger: Self.logger)
            do {
                let value = try await body(provider)
                await provider.close()
                return value
            } catch {
                await provider.close()
                throw error
            }
        case .postgres:
            let provider = try PostgresStoreProvider(url: location, deadline: .seconds(10), logger: Self.logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await provider.run() }
                defer { group.cancelAll() }
                return try await body(provider)
            }
        }
    }

    /// A tenant id no other test uses, so PostgreSQL runs start from an empty namespace.
    static func freshTenant(_ prefix: String = "t") -> TenantID {
        TenantID("\(prefix)-\(UUID().uuidString.prefix(8).lowercased())")!
    }
}

struct StoreTestSetupError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
