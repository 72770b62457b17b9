import CSQLite3
import Foundation

/// One open SQLite database handle with its cached prepared statements. It is not safe for
/// concurrent use: its owner (`SQLiteWriter`, `SQLiteReaders`) runs one operation at a time
/// on it, on a thread of the store's thread pool.
final class SQLiteConnection {
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]

    init(path: String) throws {
        var handle: OpaquePointer?
        let status = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "status \(status)"
            sqlite3_close_v2(handle)
            throw StoreError(.openFailed, "cannot open \(path): \(message)")
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, 5_000)
    }

    deinit { close() }

    /// Keeps the write-ahead log and shared-memory files when the file's last connection
    /// closes, instead of deleting them to create them again at the next open: a store that
    /// closes when idle and opens when used would otherwise create and delete two files each
    /// time. With a `journal_size_limit` set, the last connection empties the log to zero
    /// bytes when it closes; the limit itself (64 MiB) is far above the log's usual size
    /// between checkpoints, so a busy store's log is reused in place, not cut and grown again.
    func keepWriteAheadLogFiles() throws {
        guard let handle else { throw SQLiteFailure(message: "the connection is closed", code: SQLITE_MISUSE) }
        var keep: Int32 = 1
        let status = sqlite3_file_control(handle, "main", SQLITE_FCNTL_PERSIST_WAL, &keep)
        guard status == SQLITE_OK else { throw SQLiteFailure(message: "cannot keep the write-ahead log files", code: status) }
        try execute("PRAGMA journal_size_limit = 67108864")
    }

    /// Finalises the cached statements and closes the handle.
    func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements = [:]
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Runs SQL without binds or results (pragmas, transaction control, migrations).
    func execute(_ sql: String) throws {
        guard let handle else { throw SQLiteFailure(message: "the connection is closed", code: SQLITE_MISUSE) }
        var error: UnsafeMutablePointer<CChar>?
        let status = sqlite3_exec(handle, sql, nil, nil, &error)
        if status != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(error)
            throw SQLiteFailure(message: "\(message) (in: \(sql.prefix(120)))", code: status)
        }
    }

    /// Runs one statement with `binds` and returns its rows. The prepared statement is kept
    /// for the next call with the same SQL.
    @discardableResult
    func query(_ sql: String, _ binds: [SQLiteValue] = []) throws -> [SQLiteRow] {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (offset, value) in binds.enumerated() {
            let index = Int32(offset + 1)
            let status: Int32 =
                switch value {
                case .integer(let number): sqlite3_bind_int64(statement, index, Int64(number))
                case .float(let number): sqlite3_bind_double(statement, index, number)
                case .text(let text): sqlite3_bind_text(statement, index, text, -1, Self.transient)
                case .null: sqlite3_bind_null(statement, index)
                }
            guard status == SQLITE_OK else { throw failure(status, sql) }
        }
        let count = sqlite3_column_count(statement)
        var names: SQLiteColumnNames?
        var rows: [SQLiteRow] = []
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return rows }
            guard status == SQLITE_ROW else { throw failure(status, sql) }
            if names == nil {
                names = SQLiteColumnNames((0..<count).map { String(cString: sqlite3_column_name(statement, $0)) })
            }
            var values: [SQLiteValue] = []
            values.reserveCapacity(Int(count))
            for column in 0..<count {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: values.append(.integer(Int(sqlite3_column_int64(statement, column))))
                case SQLITE_FLOAT: values.append(.float(sqlite3_column_double(statement, column)))
                case SQLITE_NULL: values.append(.null)
                default:
                    let bytes = sqlite3_column_text(statement, column)
                    values.append(bytes.map { .text(String(cString: $0)) } ?? .null)
                }
            }
            rows.append(SQLiteRow(names: names!, values: values))
        }
    }

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        if statements.count >= Self.maxCachedStatements {
            for statement in statements.values { sqlite3_finalize(statement) }
            statements = [:]
        }
        guard let handle else { throw SQLiteFailure(message: "the connection is closed", code: SQLITE_MISUSE) }
        var statement: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else { throw failure(status, sql) }
        statements[sql] = statement
        return statement
    }

    private func failure(_ status: Int32, _ sql: String) -> SQLiteFailure {
        let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "status \(status)"
        return SQLiteFailure(message: "\(message) (in: \(sql.prefix(120)))", code: status)
    }

    /// Statements built for a number of values (`IN (?, ?, …)`) vary; past this many cached
    /// statements the cache starts again.
    private static let maxCachedStatements = 200

    /// Tells SQLite to copy bound text before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// An error SQLite reported, with its extended result code.
struct SQLiteFailure: Error, CustomStringConvertible {
    var message: String
    var code: Int32
    var description: String { "SQLite error \(code): \(message)" }
}
