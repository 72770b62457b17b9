import AlertCore
import Foundation
import NIOPosix

/// A tenant's store in its own SQLite file (WAL, `synchronous=FULL`): a committed
/// transaction survives a crash of the process or the machine. Writes go through the file's
/// one `SQLiteWriter` (group commit), reads through `SQLiteReaders`. An idle store can close
/// its files (`hibernate`) and opens them again when next used.
public final class SQLiteTenantStore: TenantStore {
    public let tenant: TenantID
    let path: String
    let writer: SQLiteWriter
    let readers: SQLiteReaders
    let models = RatingModelCache()
    let ratingInputsCache = RatingInputsCache()
    let encoder = StoredJSON.encoder()
    let decoder = JSONDecoder()

    init(tenant: TenantID, path: String, writer: SQLiteWriter, readers: SQLiteReaders) {
        self.tenant = tenant
        self.path = path
        self.writer = writer
        self.readers = readers
    }

    /// Opens (creating if needed) and migrates the tenant's database at `path`; its statements
    /// run on `pool`. `opened` is called whenever the store opens its file again later (a
    /// hibernated writer's next write, a new read connection).
    static func open(
        tenant: TenantID, path: String, pool: NIOThreadPool, opened: @escaping @Sendable () -> Void = {}
    ) async throws -> SQLiteTenantStore {
        let connection = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<UncheckedConnection, any Error>) in
            pool.submit { _ in
                continuation.resume(with: Result { UncheckedConnection(try prepare(tenant: tenant, path: path)) })
            }
        }
        let writer = SQLiteWriter(connection: connection.value, pool: pool) {
            let connection = try connect(path: path)
            opened()
            return connection
        }
        return SQLiteTenantStore(tenant: tenant, path: path, writer: writer, readers: SQLiteReaders(path: path, pool: pool, opened: opened))
    }

    /// Closes the store's files when nothing was written since `cutoff`; the next use opens
    /// them again. True when the write connection starts closing.
    func hibernate(ifIdleSince cutoff: Date) -> Bool {
        readers.closeIdle()
        return writer.hibernate(ifIdleSince: cutoff)
    }

    /// Closes the connections once the waiting writes are written; the store is unusable afterwards.
    public func close() async {
        await writer.close()
        readers.close()
    }

    /// The write connection to `path`, in WAL mode with `synchronous=FULL`, keeping the log's
    /// files between opens. A new file gets pages of `pageSize` bytes; an existing file keeps
    /// the size it was created with.
    private static func connect(path: String) throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path)
        do {
            try connection.execute("PRAGMA page_size = \(pageSize)")
            try connection.execute("PRAGMA journal_mode = WAL")
            try connection.execute("PRAGMA synchronous = FULL")
            try connection.execute("PRAGMA foreign_keys = ON")
            try connection.keepWriteAheadLogFiles()
        } catch {
            throw StoreError(.openFailed, "cannot open \(path): \(error)")
        }
        return connection
    }

    /// The page size of a new tenant's file. The log takes whole pages, and a transaction of a
    /// tenant with few requests changes a row or two in each of a few tables and indexes: with
    /// 1 KiB pages such a commit writes half the bytes it wrote with SQLite's default of 4 KiB
    /// (bench/README.md, "SQLite: 1 KiB pages").
    static let pageSize = 1_024

    /// The write connection, with the tenant's migrations applied: the ones it has not run yet
    /// together in one transaction (one commit, and one fsync, for a new tenant's file).
    private static func prepare(tenant: TenantID, path: String) throws -> SQLiteConnection {
        let connection = try connect(path: path)
        let version = try connection.query("PRAGMA user_version").first?.column("user_version")?.integer ?? 0
        let pending = TenantMigration.all.enumerated().filter { $0.offset >= version }
        guard !pending.isEmpty else { return connection }
        var running = "beginning"
        do {
            try connection.execute("BEGIN IMMEDIATE")
            for (index, migration) in pending {
                running = "migration \(index + 1) (\(migration.name))"
                for statement in migration.sqlite { try connection.execute(statement) }
            }
            running = "committing"
            try connection.execute("PRAGMA user_version = \(TenantMigration.all.count)")
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw StoreError(.migrationFailed, "migrating tenant \(tenant), \(running): \(error)")
        }
        return connection
    }

    /// Runs `body` in a write transaction (shared with other waiting writes, in its own
    /// savepoint) and returns once it is committed (`RatingInputsCache.write`).
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await ratingInputsCache.write { try await writer.write(body) }
    }

    /// Runs `body` in a read transaction on a read connection.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await readers.read(body)
    }

    func json<T: Encodable>(_ value: T) throws -> SQLiteValue {
        .text(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    func decode<T: Decodable>(_ type: T.Type, _ row: SQLiteRow, _ column: String) throws -> T {
        guard let text = row.column(column)?.string else {
            throw StoreError(.corruptRow, "column \(column) is missing in tenant \(tenant)")
        }
        return try decoder.decode(type, from: Data(text.utf8))
    }

    /// Answers when the store's file can be written, open or hibernating, without running a
    /// statement: a readiness check never opens a hibernating store's files nor waits behind
    /// the statements of other stores.
    public func ping() async throws {
        try Self.checkWritable(path)
    }

    /// Throws `unavailable` unless this process can write `path`.
    static func checkWritable(_ path: String) throws {
        guard FileManager.default.isWritableFile(atPath: path) else { throw StoreError(.unavailable, "\(path) cannot be written") }
    }
}
