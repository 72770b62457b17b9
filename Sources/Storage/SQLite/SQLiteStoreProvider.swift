import AlertCore
import Foundation
import Logging
import NIOPosix

/// Opens one SQLite file per tenant, `<directory>/<tenant>.sqlite`, once, and keeps it open.
/// The stores' statements run on threads of their own (`statementThreads`), where waiting for
/// the disk blocks no event loop and no task of the shared concurrency pool.
public struct SQLiteStoreProvider: TenantStoreProvider {
    private let directory: String
    private let logger: Logger
    private let stores = StoreCache<SQLiteTenantStore>()
    private let pool: NIOThreadPool

    /// The threads every SQLite store of the process runs its statements on, fsync waits included.
    static let statementThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    public init(directory: String, logger: Logger) {
        self.directory = directory
        self.logger = logger
        pool = Self.statementThreads
    }

    public func store(for tenant: TenantID) async throws -> any TenantStore {
        let (directory, logger, pool) = (directory, logger, pool)
        return try await stores.store(for: tenant) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = "\(directory)/\(tenant.rawValue).sqlite"
            let store = try await SQLiteTenantStore.open(tenant: tenant, path: path, pool: pool)
            logger.debug("tenant store opened", metadata: ["tenant": "\(tenant)", "path": "\(path)"])
            return store
        }
    }

    /// Closes the files of every store nothing was written to for `idle`; they open again when
    /// next used.
    /// How many stores start closing their files.
    @discardableResult
    public func hibernate(idleFor idle: Duration) async -> Int {
        let cutoff = Date().addingTimeInterval(-idle.seconds)
        var closing = 0
        for store in await stores.opened() where store.hibernate(ifIdleSince: cutoff) { closing += 1 }
        return closing
    }

    /// Closes every open store.
    public func close() async {
        for (_, store) in await stores.removeAll() { await store.close() }
    }
}
