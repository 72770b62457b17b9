import AlertCore
import Foundation
import Logging
import Testing

@testable import Storage

/// A start opens the stores whose files exist and leaves new tenants' to be created later; a
/// store not opened yet answers `/readyz` without being created, unless its opening failed.
@Suite struct SQLiteStoreProviderTests {
    func withDirectory(_ body: (String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alertd-provider-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await body(directory)
    }

    func provider(_ directory: String) -> SQLiteStoreProvider {
        SQLiteStoreProvider(directory: directory, logger: Logger(label: "test"))
    }

    @Test func aStartOpensOnlyTheStoresWhoseFileExists() async throws {
        try await withDirectory { directory in
            let (old, new) = (TenantID("old")!, TenantID("new")!)
            let first = provider(directory)
            _ = try await first.store(for: old)
            await first.close()

            let second = provider(directory)
            try await second.openExisting([old, new])
            #expect(second.openStoreCount == 1)
            #expect(FileManager.default.fileExists(atPath: second.path(of: old)))
            #expect(!FileManager.default.fileExists(atPath: second.path(of: new)), "a new tenant's store is not created by the start")

            try await second.ping(new)
            #expect(!FileManager.default.fileExists(atPath: second.path(of: new)), "asking whether it answers does not create it")
            try await second.ping(old)

            _ = try await second.store(for: new)
            #expect(FileManager.default.fileExists(atPath: second.path(of: new)), "first use creates it")
            await second.close()
        }
    }

    @Test func aStoreWhoseOpeningFailedDoesNotAnswerUntilAnOpeningSucceeds() async throws {
        try await withDirectory { directory in
            let tenant = TenantID("broken")!
            let provider = provider(directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: provider.path(of: tenant)))

            await #expect(throws: (any Error).self) { try await provider.openExisting([tenant]) }
            await #expect(throws: (any Error).self, "an existing file that failed to open") { try await provider.ping(tenant) }

            try FileManager.default.removeItem(atPath: provider.path(of: tenant))
            await #expect(throws: (any Error).self, "the failure stands until an opening succeeds") { try await provider.ping(tenant) }
            _ = try await provider.store(for: tenant)
            try await provider.ping(tenant)
            await provider.close()
        }
    }

    /// The page size of the file at `path`.
    func pageSize(_ path: String) throws -> Int? {
        let file = try SQLiteConnection(path: path)
        defer { file.close() }
        return try file.query("PRAGMA page_size").first?.column("page_size")?.integer
    }

    @Test func aNewTenantsFileHasSmallPagesAndAnOlderFileKeepsItsOwn() async throws {
        try await withDirectory { directory in
            let (older, new) = (TenantID("older")!, TenantID("new")!)
            let provider = provider(directory)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let file = try SQLiteConnection(path: provider.path(of: older))
            try file.execute("PRAGMA page_size = 4096")
            try file.execute("PRAGMA journal_mode = WAL")
            try file.execute("CREATE TABLE made_before (id INTEGER PRIMARY KEY)")
            file.close()

            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let alert = Alert(labels: ["alertname": "DiskFull", "service": "db"], source: "prometheus", startsAt: now)
            let rated = RatedAlert(alert: alert, status: .firing, rating: Rating(score: 0.5, priority: .p3, urgent: false, factors: []))
            for tenant in [older, new] {
                _ = try await provider.store(for: tenant).record([rated], at: now, policy: RatingPolicy())
                #expect(try await provider.store(for: tenant).alert(alert.fingerprint)?.alert.fingerprint == alert.fingerprint)
            }
            await provider.close()
            #expect(try pageSize(provider.path(of: new)) == SQLiteTenantStore.pageSize)
            #expect(SQLiteTenantStore.pageSize == 1_024)
            #expect(try pageSize(provider.path(of: older)) == 4_096, "a file's page size is fixed when it is created")
        }
    }
}
