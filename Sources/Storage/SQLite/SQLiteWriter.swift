import Foundation
import NIOPosix
import Synchronization

/// The one writer of a tenant's SQLite file, with group commit: writes that arrive while a
/// transaction is being written wait, and the next transaction takes all of them at once, each
/// in its own savepoint, with one commit and one fsync for the lot. A lone write starts at once
/// and never waits for a timer. A write's result is handed back only after its transaction
/// committed; a write that throws is rolled back alone, a failed commit fails every write of
/// the transaction. All statements of a transaction run on one thread of `pool`.
///
/// A writer idle for a while can close its connection (`hibernate`) and opens it again with
/// `reopen` at its next write, so an idle tenant holds no open file.
final class SQLiteWriter: Sendable {
    private let connection: ConnectionSlot
    private let pool: NIOThreadPool
    private let state = Mutex(State())

    private struct State {
        var waiting: [any PendingWrite] = []
        /// A thread of the pool owns the connection (drains, or hibernates).
        var writing = false
        var lastWrite = Date()
        /// No new writes are taken.
        var closing = false
        /// The connection is closed.
        var closed = false
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// The most writes one transaction takes; more wait for the next.
    static let maxBatch = 512

    init(connection: SQLiteConnection, pool: NIOThreadPool, reopen: @escaping @Sendable () throws -> SQLiteConnection) {
        self.connection = ConnectionSlot(connection, reopen: reopen)
        self.pool = pool
    }

    /// Runs `body` in a transaction on the write connection and returns its result once the
    /// transaction is committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let write = Write(body: body, continuation: continuation)
            let start = state.withLock { state -> Bool? in
                guard !state.closing else { return nil }
                state.waiting.append(write)
                state.lastWrite = Date()
                if state.writing { return false }
                state.writing = true
                return true
            }
            switch start {
            case nil: continuation.resume(throwing: StoreError(.unavailable, "the store is closed"))
            case true?: pool.submit { _ in self.drain() }
            case false?: break
            }
        }
    }

    /// Writes what is waiting, then closes the connection; later writes fail.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let start = state.withLock { state -> Bool? in
                if state.closed { return nil }
                state.closing = true
                state.closeWaiters.append(continuation)
                if state.writing { return false }
                state.writing = true
                return true
            }
            switch start {
            case nil: continuation.resume()
            case true?: pool.submit { _ in self.drain() }
            case false?: break
            }
        }
    }

    /// Closes the connection when nothing was written since `cutoff` and nothing is being
    /// written; the next write opens it again. True when it starts closing it.
    @discardableResult
    func hibernate(ifIdleSince cutoff: Date) -> Bool {
        let idle = state.withLock { state -> Bool in
            guard !state.writing, !state.closing, state.waiting.isEmpty, state.lastWrite < cutoff, connection.isOpen else { return false }
            state.writing = true
            return true
        }
        guard idle else { return false }
        pool.submit { _ in
            self.connection.close()
            self.drain()
        }
        return true
    }

    /// When a write last arrived.
    var lastWrite: Date { state.withLock { $0.lastWrite } }

    /// Whether the connection is closed by `hibernate` (or `close`).
    var isHibernating: Bool { !connection.isOpen }

    /// Commits batches until nothing waits; the last drain of a closing writer closes the
    /// connection. Only one drain runs at a time (`State.writing`).
    private func drain() {
        while true {
            let (batch, closing) = state.withLock { state -> ([any PendingWrite], Bool) in
                let batch = Array(state.waiting.prefix(Self.maxBatch))
                state.waiting.removeFirst(batch.count)
                if batch.isEmpty && !state.closing { state.writing = false }
                return (batch, state.closing)
            }
            if !batch.isEmpty {
                commit(batch)
                continue
            }
            if closing {
                connection.close()
                let waiters = state.withLock { state in
                    state.closed = true
                    defer { state.closeWaiters = [] }
                    return state.closeWaiters
                }
                for waiter in waiters { waiter.resume() }
            }
            return
        }
    }

    /// Writes `batch` in one transaction, each write in its own savepoint; a lone write needs
    /// none (rolling the transaction back rolls back that write alone). The transaction's
    /// control statements are prepared once per connection.
    private func commit(_ batch: [any PendingWrite]) {
        let connection: SQLiteConnection
        do {
            connection = try self.connection.open()
            try connection.query("BEGIN IMMEDIATE")
        } catch {
            for write in batch { write.fail(error) }
            return
        }
        if batch.count == 1, let write = batch.first {
            guard write.run(on: connection) else {
                try? connection.execute("ROLLBACK")
                write.finish()
                return
            }
        } else {
            for write in batch {
                do {
                    try connection.query("SAVEPOINT write")
                    if !write.run(on: connection) { try connection.query("ROLLBACK TO write") }
                    try connection.query("RELEASE write")
                } catch {
                    try? connection.execute("ROLLBACK")
                    for write in batch { write.fail(error) }
                    return
                }
            }
        }
        do {
            try connection.query("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            for write in batch { write.fail(error) }
            return
        }
        for write in batch { write.finish() }
    }
}

/// A write waiting for its transaction.
private protocol PendingWrite: Sendable {
    /// Runs the write's body; false when it threw (its error is kept for `finish`).
    func run(on connection: SQLiteConnection) -> Bool
    /// Hands back the body's result or error once the transaction committed.
    func finish()
    /// Fails the write: its transaction did not commit.
    func fail(_ error: any Error)
}

private final class Write<T: Sendable>: PendingWrite, @unchecked Sendable {
    let body: @Sendable (SQLiteConnection) throws -> T
    let continuation: CheckedContinuation<T, any Error>
    /// Set on the writer's thread by `run`, read there by `finish`.
    private var result: Result<T, any Error>?

    init(body: @escaping @Sendable (SQLiteConnection) throws -> T, continuation: CheckedContinuation<T, any Error>) {
        self.body = body
        self.continuation = continuation
    }

    func run(on connection: SQLiteConnection) -> Bool {
        result = Result { try body(connection) }
        if case .failure = result { return false }
        return true
    }

    func finish() {
        continuation.resume(with: result ?? .failure(StoreError(.unavailable, "the write did not run")))
    }

    func fail(_ error: any Error) {
        if case .failure(let own)? = result {
            continuation.resume(throwing: own)
        } else {
            continuation.resume(throwing: error)
        }
    }
}

/// The writer's connection, closed while the writer hibernates. Only the pool thread that owns
/// the writer (`State.writing`) opens, uses or closes it; `isOpen` may be read anywhere.
private final class ConnectionSlot: @unchecked Sendable {
    private var connection: SQLiteConnection?
    private let reopen: @Sendable () throws -> SQLiteConnection
    private let opened = Atomic<Bool>(true)

    init(_ connection: SQLiteConnection, reopen: @escaping @Sendable () throws -> SQLiteConnection) {
        self.connection = connection
        self.reopen = reopen
    }

    var isOpen: Bool { opened.load(ordering: .acquiring) }

    func open() throws -> SQLiteConnection {
        if let connection { return connection }
        let connection = try reopen()
        self.connection = connection
        opened.store(true, ordering: .releasing)
        return connection
    }

    func close() {
        connection?.close()
        connection = nil
        opened.store(false, ordering: .releasing)
    }
}
