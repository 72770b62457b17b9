import AlertCore
import Foundation
import Logging

/// Opens one SQLite file per tenant, `<directory>/<tenant>.sqlite`, once, and keeps it open.
public actor SQLiteStoreProvider: TenantStoreProvider {
    private let directory: String
    private let logger: Logger
    private var stores: [TenantID: Task<SQLiteTenantStore, any Error>] = [:]

    public init(directory: String, logger: Logger) {
        self.directory = directory
        self.logger = logger
    }

    public func store(for tenant: TenantID) async throws -> any TenantStore {
        if let opening = stores[tenant] {
            return try await opening.value
        }
        let path = "\(directory)/\(tenant.rawValue).sqlite"
        let directory = directory
        let logger = logger
        let opening = Task {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            return try await SQLiteTenantStore.open(tenant: tenant, path: path, logger: logger)
        }
        stores[tenant] = opening
        do {
            return try await opening.value
        } catch {
            stores[tenant] = nil
            throw error
        }
    }

    /// Closes every open store.
    public func close() async {
        for (tenant, opening) in stores {
            do {
                try await opening.value.close()
            } catch {
                logger.warning("closing the store failed", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
            }
        }
        stores = [:]
    }
}
