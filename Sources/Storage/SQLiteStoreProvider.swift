import AlertCore
import Foundation
import Logging

/// Opens one SQLite file per tenant, `<directory>/<tenant>.sqlite`, once, and keeps it open.
public struct SQLiteStoreProvider: TenantStoreProvider {
    private let directory: String
    private let logger: Logger
    private let stores = StoreCache<SQLiteTenantStore>()

    public init(directory: String, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }

    public func store(for tenant: TenantID) async throws -> any TenantStore {
        let (directory, logger) = (directory, logger)
        return try await stores.store(for: tenant) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return try await SQLiteTenantStore.open(tenant: tenant, path: "\(directory)/\(tenant.rawValue).sqlite", logger: logger)
        }
    }

    /// Closes every open store.
    public func close() async {
        for (tenant, store) in await stores.removeAll() {
            do {
                try await store.close()
            } catch {
                logger.warning("closing the store failed", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
            }
        }
    }
}
