import Foundation
import NIOPosix
import Testing

@testable import Storage

/// The SQLite writer's group commit: concurrent writes share transactions, a write that fails
/// is rolled back alone, and a hibernated writer opens its file again for the next write.
@Suite struct SQLiteWriterTests {
    struct Refused: Error {}

    func withWriter(_ body: (SQLiteWriter, String) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("alertd-writer-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let open: @Sendable () throws -> SQLiteConnection = {
            let connection = try SQLiteConnection(path: path)
            try connection.execute("PRAGMA journal_mode = WAL")
            return connection
        }
        let connection = try open()
        try connection.execute("CREATE TABLE items (n INTEGER PRIMARY KEY)")
        let writer = SQLiteWriter(connection: connection, pool: SQLiteStoreProvider.statementThreads, reopen: open)
        try await body(writer, path)
        await writer.close()
    }

    func stored(_ path: String) throws -> Set<Int> {
        let reader = try SQLiteConnection(path: path)
        defer { reader.close() }
        return Set(try reader.query("SELECT n FROM items").compactMap { $0.column("n")?.integer })
    }

    @Test func aFailedWriteIsRolledBackAloneAndTheOthersCommit() async throws {
        try await withWriter { writer, path in
            let outcomes = try await withThrowingTaskGroup(of: (Int, Bool).self) { group in
                for n in 0..<200 {
                    group.addTask {
                        do {
                            try await writer.write { db in
                                try db.query("INSERT INTO items (n) VALUES (?)", [.integer(n)])
                                if n % 3 == 0 { throw Refused() }
                            }
                            return (n, true)
                        } catch is Refused {
                            return (n, false)
                        }
                    }
                }
                var outcomes: [Int: Bool] = [:]
                for try await (n, committed) in group { outcomes[n] = committed }
                return outcomes
            }
            #expect(outcomes.count == 200)
            #expect(outcomes.allSatisfy { $0.value == ($0.key % 3 != 0) }, "only the writes that threw failed")
            #expect(try stored(path) == Set((0..<200).filter { $0 % 3 != 0 }), "each failed write left nothing, the rest all landed")
        }
    }

    @Test func aLoneWriteThatFailsLeavesNothingAndTheNextCommits() async throws {
        try await withWriter { writer, path in
            for n in 0..<6 {
                do {
                    try await writer.write { db in
                        try db.query("INSERT INTO items (n) VALUES (?)", [.integer(n)])
                        try db.query("INSERT INTO items (n) VALUES (?)", [.integer(100 + n)])
                        if n % 2 == 0 { throw Refused() }
                    }
                    #expect(n % 2 == 1, "write \(n) committed")
                } catch is Refused {
                    #expect(n % 2 == 0, "write \(n) failed")
                }
            }
            #expect(try stored(path) == [1, 101, 3, 103, 5, 105], "a failed write left none of its rows")
        }
    }

    @Test func aHibernatedWriterOpensItsFileAgain() async throws {
        try await withWriter { writer, path in
            try await writer.write { db in try db.query("INSERT INTO items (n) VALUES (1)") }
            writer.hibernate(ifIdleSince: Date().addingTimeInterval(60))
            var closed = false
            for _ in 0..<500 where !closed {
                closed = writer.isHibernating
                if !closed { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(closed, "an idle writer closes its connection")
            try await writer.write { db in try db.query("INSERT INTO items (n) VALUES (2)") }
            #expect(!writer.isHibernating)
            #expect(try stored(path) == [1, 2])
        }
    }
}
