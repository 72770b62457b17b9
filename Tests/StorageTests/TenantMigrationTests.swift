import AlertCore
import Foundation
import PostgresNIO
@testable import Storage
import Testing

/// `TenantMigration.all` keeps the two dialects in step: after every migration ran, a tenant's
/// SQLite file and its PostgreSQL schema have the same tables with the same columns, but for
/// what only a store shared by replicas needs.
@Suite struct TenantMigrationTests {
    /// Replicas sharing PostgreSQL claim due groups; a SQLite file has one process.
    static let sharedStoreOnly: Set<String> = ["alert_groups.claimed_until"]

    /// Migrations that change what only one dialect has (an index), by name.
    static let oneDialectOnly: Set<String> = ["dropLastSeenIndex"]

    @Test func everyMigrationIsNamedOnceAndWrittenForBothDialects() {
        let names = TenantMigration.all.map(\.name)
        #expect(Set(names).count == names.count, "names repeat: \(names)")
        for migration in TenantMigration.all {
            if Self.oneDialectOnly.contains(migration.name) {
                #expect(migration.sqlite.isEmpty != migration.postgres.isEmpty, "\(migration.name) has statements for one dialect")
            } else {
                #expect(!migration.sqlite.isEmpty && !migration.postgres.isEmpty, "\(migration.name) has statements for both dialects")
            }
        }
    }

    @Test func aSQLiteFileOfTheVersionBeforeDropsTheLastSeenIndexAndKeepsItsAlerts() async throws {
        let tenant = StoreBackend.freshTenant("upgraded")
        let directory = try StoreBackend.sqlite.makeLocation()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = "\(directory)/\(tenant.rawValue).sqlite"
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let alert = Alert(labels: ["alertname": "DiskFull", "service": "db"], source: "prometheus", startsAt: now)
        let rated = RatedAlert(
            alert: alert, status: .firing, rating: Rating(score: 0.5, priority: .p3, urgent: false, factors: []))
        try await StoreBackend.sqlite.withProvider(at: directory) { provider in
            _ = try await provider.store(for: tenant).record([rated], at: now, policy: RatingPolicy())
        }
        func indexes() throws -> Set<String> {
            let file = try SQLiteConnection(path: path)
            defer { file.close() }
            return Set(try file.query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'alerts'").compactMap { $0.column("name")?.string })
        }
        #expect(!(try indexes()).contains("alerts_by_last_seen"))
        let before = try #require(TenantMigration.all.firstIndex { $0.name == "dropLastSeenIndex" })
        let file = try SQLiteConnection(path: path)
        try file.execute("CREATE INDEX alerts_by_last_seen ON alerts (last_seen_at)")
        try file.execute("PRAGMA user_version = \(before)")
        file.close()

        let stored = try await StoreBackend.sqlite.withProvider(at: directory) { provider in
            try await provider.store(for: tenant).alert(alert.fingerprint)
        }
        #expect(stored?.alert.fingerprint == alert.fingerprint, "the alert stored before the upgrade is still there")
        #expect(!(try indexes()).contains("alerts_by_last_seen"), "the upgrade dropped the index")
        #expect(try indexes().contains("alerts_by_status_score"))
        let upgraded = try SQLiteConnection(path: path)
        defer { upgraded.close() }
        #expect(try upgraded.query("PRAGMA user_version").first?.column("user_version")?.integer == TenantMigration.all.count)
    }

    @Test func bothDialectsEndWithTheSameTablesAndColumns() async throws {
        let tenant = StoreBackend.freshTenant("migrated")
        let databaseURL = try StoreBackend.databaseURL()
        let directory = try StoreBackend.sqlite.makeLocation()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await StoreBackend.sqlite.withProvider(at: directory) { try await $0.store(for: tenant).ping() }
        try await StoreBackend.postgres.withProvider(at: databaseURL) { try await $0.store(for: tenant).ping() }

        let file = try SQLiteConnection(path: "\(directory)/\(tenant.rawValue).sqlite")
        defer { file.close() }
        let sqlite = Set(
            try file.query(
                "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
            ).compactMap { row in row.column("table_name")?.string.flatMap { table in row.column("column_name")?.string.map { "\(table).\($0)" } } })

        let schema = "tenant_\(tenant.rawValue.replacingOccurrences(of: "-", with: "_"))"
        let postgres = try await PostgresIsolationTests().withAdminClient { client in
            var columns: Set<String> = []
            let rows = try await client.query(
                "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = \(schema) AND table_name <> 'schema_migrations'")
            for try await (table, column) in rows.decode((String, String).self) { columns.insert("\(table).\(column)") }
            return columns
        }
        #expect(sqlite.count > 40, "the SQLite file holds the tenant's tables: \(sqlite.sorted())")
        #expect(sqlite.subtracting(postgres).isEmpty, "only in SQLite: \(sqlite.subtracting(postgres).sorted())")
        #expect(postgres.subtracting(sqlite) == Self.sharedStoreOnly, "only in PostgreSQL: \(postgres.subtracting(sqlite).sorted())")
    }
}
