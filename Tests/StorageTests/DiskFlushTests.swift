import Dispatch
import Foundation
import NIOPosix
import Synchronization
import Testing

@testable import Storage

/// Commits share flushes: what is handed in while one flush runs waits for the next, one flush
/// answers all of it, a failed flush fails what it covered, and a writer with a `DiskFlush`
/// answers a write only after the flush that followed its commit.
@Suite struct DiskFlushTests {
    /// A flush the test holds until it opens the gate, counting the flushes.
    final class HeldFlush: Sendable {
        let gate = DispatchSemaphore(value: 0)
        let flushes = Atomic<Int>(0)
        let failFirst: Bool

        init(failFirst: Bool = false) {
            self.failFirst = failFirst
        }

        func sync() throws {
            let number = flushes.add(1, ordering: .relaxed).newValue
            gate.wait()
            if failFirst && number == 1 { throw StoreError(.unavailable, "the disk refused") }
        }

        /// Waits until `count` flushes have begun.
        func began(_ count: Int) async throws -> Bool {
            let deadline = ContinuousClock.now + .seconds(10)
            while flushes.load(ordering: .relaxed) < count {
                guard ContinuousClock.now < deadline else { return false }
                try await Task.sleep(for: .milliseconds(2))
            }
            return true
        }
    }

    final class Answered: Sendable {
        let flag = Atomic<Bool>(false)
    }

    func withFlush(_ held: HeldFlush, _ body: (DiskFlush) async throws -> Void) async throws {
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        try await body(DiskFlush(thread: thread) { try held.sync() })
        try await thread.shutdownGracefully()
    }

    func flushed(_ flush: DiskFlush) async -> Result<Void, StoreError> {
        await withCheckedContinuation { continuation in flush.afterNextFlush { continuation.resume(returning: $0) } }
    }

    @Test func commitsHandedInDuringAFlushShareTheNextOne() async throws {
        let held = HeldFlush()
        try await withFlush(held) { flush in
            let first = Task { await flushed(flush) }
            #expect(try await held.began(1))
            let waiting = Task {
                await withTaskGroup(of: Result<Void, StoreError>.self) { group in
                    for _ in 0..<10 { group.addTask { await flushed(flush) } }
                    return await group.reduce(into: []) { $0.append($1) }
                }
            }
            try await Task.sleep(for: .milliseconds(50))
            let during = held.flushes.load(ordering: .relaxed)
            #expect(during == 1, "nothing flushes again while a flush runs")
            held.gate.signal()
            held.gate.signal()
            #expect((try? await first.value.get()) != nil)
            let answers = await waiting.value
            #expect(answers.count == 10)
            #expect(answers.allSatisfy { (try? $0.get()) != nil })
            let flushes = held.flushes.load(ordering: .relaxed)
            #expect(flushes == 2, "the ten waiting commits shared one flush")
        }
    }

    @Test func aFailedFlushFailsWhatItCoveredAndTheNextOneSucceeds() async throws {
        let held = HeldFlush(failFirst: true)
        try await withFlush(held) { flush in
            held.gate.signal()
            guard case .failure(let error) = await flushed(flush) else {
                Issue.record("a failed flush answered success")
                return
            }
            #expect(error.code == .unavailable)
            held.gate.signal()
            #expect((try? await flushed(flush).get()) != nil)
        }
    }

    @Test func aWriterAnswersAWriteOnlyAfterTheFlushThatFollowedItsCommit() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("alertd-flush-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let open: @Sendable () throws -> SQLiteConnection = {
            let connection = try SQLiteConnection(path: path)
            try connection.execute("PRAGMA journal_mode = WAL")
            try connection.execute("PRAGMA synchronous = NORMAL")
            return connection
        }
        let connection = try open()
        try connection.execute("CREATE TABLE items (n INTEGER PRIMARY KEY)")
        let held = HeldFlush()
        try await withFlush(held) { flush in
            let writer = SQLiteWriter(connection: connection, pool: SQLiteStoreProvider.statementThreads, flush: flush, reopen: open)
            let answered = Answered()
            let write = Task {
                try await writer.write { db in try db.query("INSERT INTO items (n) VALUES (1)") }
                answered.flag.store(true, ordering: .relaxed)
            }
            #expect(try await held.began(1), "the commit asked for a flush")
            let reader = try SQLiteConnection(path: path)
            #expect(try reader.query("SELECT n FROM items").count == 1, "the transaction committed")
            reader.close()
            try await Task.sleep(for: .milliseconds(50))
            let early = answered.flag.load(ordering: .relaxed)
            #expect(!early, "the write is not answered before its flush ends")
            held.gate.signal()
            try await write.value
            await writer.close()
        }
    }
}
