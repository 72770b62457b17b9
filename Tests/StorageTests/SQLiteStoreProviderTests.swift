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
}
