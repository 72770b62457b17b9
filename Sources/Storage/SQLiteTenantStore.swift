import AlertCore
import Foundation
import Logging
import SQLiteNIO

/// A tenant's store in its own SQLite file (WAL, `synchronous=FULL`): a committed
/// transaction survives a crash of the process or the machine.
public final class SQLiteTenantStore: TenantStore {
    public let tenant: TenantID
    let connection: SQLiteConnection
    let gate = SerialGate()
    let encoder = JSONEncoder()
    let decoder = JSONDecoder()

    init(tenant: TenantID, connection: SQLiteConnection) {
        self.tenant = tenant
        self.connection = connection
    }

    /// Opens (creating if needed) and migrates the tenant's database at `path`.
    public static func open(tenant: TenantID, path: String, logger: Logger) async throws -> SQLiteTenantStore {
        let connection: SQLiteConnection
        do {
            connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        } catch {
            throw StoreError(.openFailed, "cannot open \(path): \(error)")
        }
        let store = SQLiteTenantStore(tenant: tenant, connection: connection)
        try await store.prepare()
        return store
    }

    /// Closes the connection; the store is unusable afterwards.
    public func close() async throws {
        try await gate.run { try await self.connection.close() }
    }

    private func prepare() async throws {
        _ = try await connection.query("PRAGMA journal_mode = WAL")
        _ = try await connection.query("PRAGMA synchronous = FULL")
        _ = try await connection.query("PRAGMA foreign_keys = ON")
        _ = try await connection.query("PRAGMA busy_timeout = 5000")
        let version = try await connection.query("PRAGMA user_version").first?.column("user_version")?.integer ?? 0
        for (index, statements) in SQLiteSchema.migrations.enumerated() where index >= version {
            do {
                try await transaction {
                    for statement in statements { _ = try await self.connection.query(statement) }
                    _ = try await self.connection.query("PRAGMA user_version = \(index + 1)")
                }
            } catch {
                throw StoreError(.migrationFailed, "migration \(index + 1) of tenant \(tenant): \(error)")
            }
        }
    }

    /// Runs `body` in one `BEGIN IMMEDIATE … COMMIT`, rolling back on any error.
    func transaction<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        _ = try await connection.query("BEGIN IMMEDIATE")
        do {
            let result = try await body()
            _ = try await connection.query("COMMIT")
            return result
        } catch {
            _ = try? await connection.query("ROLLBACK")
            throw error
        }
    }

    func query(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        try await connection.query(sql, binds)
    }

    func json<T: Encodable>(_ value: T) throws -> SQLiteData {
        .text(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    func decode<T: Decodable>(_ type: T.Type, _ row: SQLiteRow, _ column: String) throws -> T {
        guard let text = row.column(column)?.string else {
            throw StoreError(.corruptRow, "column \(column) is missing in tenant \(tenant)")
        }
        return try decoder.decode(type, from: Data(text.utf8))
    }

    public func ping() async throws {
        _ = try await gate.run { try await self.query("SELECT 1") }
    }
}

extension Date {
    var sqlite: SQLiteData { .float(timeIntervalSince1970) }
}

extension SQLiteData {
    var date: Date? { double.map { Date(timeIntervalSince1970: $0) } }
}
