import Foundation
import NIOPosix
import Synchronization

/// Read connections to a tenant's SQLite file (WAL lets them read while the writer writes),
/// opened when first needed and kept for reuse. Each read runs in one read transaction, so it
/// sees one committed state, on a thread of `pool`.
final class SQLiteReaders: Sendable {
    private let path: String
    private let pool: NIOThreadPool
    private let opened: @Sendable () -> Void
    private let state = Mutex(State())

    private struct State {
        var idle: [UncheckedConnection] = []
        var closed = false
        /// Whether a finished read keeps its connection for the next; false from `closeIdle`
        /// until a read opens a new connection, so reads that were running when the store
        /// closed its files do not keep them open.
        var keepsConnections = true
    }

    /// Connections kept open between reads.
    static let maxIdle = 2

    /// `opened` is called after each new connection.
    init(path: String, pool: NIOThreadPool, opened: @escaping @Sendable () -> Void = {}) {
        self.path = path
        self.pool = pool
        self.opened = opened
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            pool.submit { _ in
                continuation.resume(with: Result { try self.run(body) })
            }
        }
    }

    private func run<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        let reused = try state.withLock { state -> UncheckedConnection? in
            guard !state.closed else { throw StoreError(.unavailable, "the store is closed") }
            return state.idle.popLast()
        }
        let connection = try reused?.value ?? newConnection()
        do {
            try connection.query("BEGIN")
            let result = try body(connection)
            try connection.query("COMMIT")
            release(connection)
            return result
        } catch {
            try? connection.execute("ROLLBACK")
            release(connection)
            throw error
        }
    }

    private func newConnection() throws -> SQLiteConnection {
        let connection = try Self.connect(path: path)
        state.withLock { $0.keepsConnections = true }
        opened()
        return connection
    }

    /// A connection that may only read. It is opened read-write all the same: a read-only
    /// connection cannot open a WAL file whose `-wal` and `-shm` files went with the last
    /// connection (a hibernating writer's).
    private static func connect(path: String) throws -> SQLiteConnection {
        let connection = try SQLiteConnection(path: path)
        try connection.execute("PRAGMA query_only = 1")
        try connection.keepWriteAheadLogFiles()
        return connection
    }

    private func release(_ connection: SQLiteConnection) {
        let kept = state.withLock { state -> Bool in
            guard !state.closed, state.keepsConnections, state.idle.count < Self.maxIdle else { return false }
            state.idle.append(UncheckedConnection(connection))
            return true
        }
        if !kept { connection.close() }
    }

    /// Closes the connections no read is using, and those of the reads running now when they
    /// end; the next read opens one again.
    func closeIdle() {
        let idle = state.withLock { state in
            state.keepsConnections = false
            defer { state.idle = [] }
            return state.idle
        }
        for connection in idle { connection.value.close() }
    }

    /// Closes the idle connections; reads running now close theirs when they end, later
    /// reads fail.
    func close() {
        let idle = state.withLock { state in
            state.closed = true
            defer { state.idle = [] }
            return state.idle
        }
        for connection in idle { connection.value.close() }
    }
}
