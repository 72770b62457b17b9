import AlertCore
import Foundation
import Logging
import NIOPosix

/// Opens one SQLite file per tenant, `<directory>/<tenant>.sqlite`, once. At most
/// `maxOpenStores` stores keep their files open (`OpenStores`); the others closed theirs and
/// open them again when used. The stores' statements run on threads of their own
/// (`statementThreads`), where waiting for the disk blocks no event loop and no task of the
/// shared concurrency pool.
public struct SQLiteStoreProvider: TenantStoreProvider {
    private let directory: String
    private let logger: Logger
    private let stores = StoreCache<SQLiteTenantStore>()
    private let openStores: OpenStores
    private let pool: NIOThreadPool

    /// The threads every SQLite store of the process runs its statements on, fsync waits included.
    static let statementThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 4)
        pool.start()
        return pool
    }()

    /// `maxOpenStores` defaults to what the process's open-file limit allows (`defaultMaxOpenStores`).
    public init(directory: String, maxOpenStores: Int? = nil, logger: Logger) {
        self.directory = directory
        self.logger = logger
        openStores = OpenStores(limit: maxOpenStores ?? Self.defaultMaxOpenStores())
        pool = Self.statementThreads
    }

    /// At most 1,000 stores, and no more than a store's files (up to six descriptors: the
    /// database and its write-ahead log for the writer and for each of two readers, and the
    /// shared memory file) fit in the open-file limit once 200 descriptors are kept for
    /// connections and everything else; at least 16.
    public static func defaultMaxOpenStores() -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return 1000 }
        let files = Int(clamping: limit.rlim_cur)
        return min(1000, max(16, (files - 200) / 6))
    }

    /// The most stores that keep their files open at a time.
    public var maxOpenStores: Int { openStores.limit }

    /// How many stores have their files open now.
    public var openStoreCount: Int { openStores.count }

    public func store(for tenant: TenantID) async throws -> any TenantStore {
        let (directory, logger, pool, openStores) = (directory, logger, pool, openStores)
        let path = path(of: tenant)
        return try await stores.store(for: tenant) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let store = try await SQLiteTenantStore.open(tenant: tenant, path: path, pool: pool) { openStores.opened(tenant) }
            openStores.add(store)
            logger.debug("tenant store opened", metadata: ["tenant": "\(tenant)", "path": "\(path)"])
            return store
        }
    }

    /// Whether the tenant's store can be used, without creating it: an opened store answers
    /// (`SQLiteTenantStore.ping`); one not opened yet, such as a new tenant's that the start's
    /// warm-up has not created, answers when its file (or, before it exists, the directory it
    /// is created in) can be written and its last opening did not fail.
    public func ping(_ tenant: TenantID) async throws {
        switch await stores.lastOpening(of: tenant) {
        case .success(let store)?: return try await store.ping()
        case .failure(let error)?: throw error
        case nil: break
        }
        let path = path(of: tenant)
        try SQLiteTenantStore.checkWritable(FileManager.default.fileExists(atPath: path) ? path : directory)
    }

    /// The tenant's database file.
    func path(of tenant: TenantID) -> String {
        "\(directory)/\(tenant.rawValue).sqlite"
    }

    /// Opens (and migrates) the stores of those `tenants` whose database file exists, several at
    /// a time, and creates the directory new tenants' files go to. A start calls it so that a
    /// store that cannot be opened or upgraded stops the start; new tenants' stores are created
    /// after the start (`TenantWarmup`) or on first use. Throws the first tenant's error, in the
    /// order given, once every opening has ended.
    public func openExisting(_ tenants: [TenantID]) async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try await open(tenants.filter { FileManager.default.fileExists(atPath: path(of: $0)) })
    }

    /// Opens the stores of `tenants` (creating and migrating the new ones), several at a time:
    /// a start with many tenants waits on the disk for each, and the waits overlap. Throws the
    /// first tenant's error, in the order given, once every opening has ended.
    public func open(_ tenants: [TenantID]) async throws {
        let results = await tenants.concurrentMap(width: Self.concurrentOpenings) { tenant in
            do {
                _ = try await store(for: tenant)
                return Result<Void, any Error>.success(())
            } catch {
                return .failure(error)
            }
        }
        for result in results { try result.get() }
    }

    /// How many stores a start opens at a time: twice the statement threads, so that a thread
    /// that finished one store's work finds the next waiting.
    static let concurrentOpenings = 8

    /// Closes the files of every store nothing was written to for `idle`, `atOnce` at a time
    /// with `pause` between (`OpenStores.hibernate`); they open again when next used. Returns
    /// how many stores start closing their files.
    @discardableResult
    public func hibernate(idleFor idle: Duration, atOnce: Int = 8, pause: Duration = .milliseconds(50)) async -> Int {
        await openStores.hibernate(ifIdleSince: Date().addingTimeInterval(-idle.seconds), atOnce: atOnce, pause: pause)
    }

    /// Closes every open store.
    public func close() async {
        for (_, store) in await stores.removeAll() { await store.close() }
    }
}
