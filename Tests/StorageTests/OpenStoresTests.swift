import AlertCore
import Dispatch
import Foundation
import Logging
import Testing

@testable import Storage

/// A provider keeps at most `maxOpenStores` tenants' files open: using one more closes the
/// files of the store written to longest ago, which opens them again, data intact, when used.
@Suite struct OpenStoresTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func withProvider(maxOpenStores: Int, _ body: (SQLiteStoreProvider, String) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alertd-open-stores-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let provider = SQLiteStoreProvider(directory: directory, maxOpenStores: maxOpenStores, logger: Logger(label: "test"))
        try await body(provider, directory)
        await provider.close()
    }

    /// The tenants whose database this process has a descriptor open on (the file itself, its
    /// write-ahead log or its shared memory).
    func tenantsWithOpenFiles(in directory: String) -> Set<String> {
        let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        var tenants: Set<String> = []
        for descriptor in descriptors {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(descriptor)"),
                target.hasPrefix(directory + "/")
            else { continue }
            let file = String(target.dropFirst(directory.count + 1))
            tenants.insert(String(file.prefix { $0 != "." }))
        }
        return tenants
    }

    func record(_ instance: String, in store: any TenantStore) async throws {
        let alert = Alert(labels: ["alertname": "DiskFull", "instance": instance], source: "prometheus", startsAt: start)
        let rated = RatedAlert(
            alert: alert, status: alert.status(at: start),
            rating: Rating(score: 0.5, priority: Priority(score: 0.5, threshold: 0.75), urgent: false, factors: []))
        _ = try await store.record([rated], at: start, policy: RatingPolicy())
    }

    @Test func usingMoreTenantsThanTheLimitKeepsOnlyTheLimitsFilesOpen() async throws {
        try await withProvider(maxOpenStores: 4) { provider, directory in
            let tenants = (1...12).map { TenantID("t\($0)")! }
            for tenant in tenants {
                try await record("first", in: try await provider.store(for: tenant))
                #expect(provider.openStoreCount <= 4)
            }
            #expect(try await eventually { tenantsWithOpenFiles(in: directory).count <= 4 }, "\(tenantsWithOpenFiles(in: directory))")
            #expect(tenantsWithOpenFiles(in: directory).contains("t12"), "the store used last keeps its files")

            for tenant in tenants {
                let store = try await provider.store(for: tenant)
                try await record("second", in: store)
                let alerts = try await store.alerts(AlertQuery(limit: 10)).alerts
                #expect(Set(alerts.map { $0.alert.labels["instance"] }) == ["first", "second"], "\(tenant) kept its data across closing")
            }
            #expect(try await eventually { tenantsWithOpenFiles(in: directory).count <= 4 }, "\(tenantsWithOpenFiles(in: directory))")
        }
    }

    @Test func hibernationClosesAFewStoresAtATimeSoABusyTenantsWritesGoOn() async throws {
        try await withProvider(maxOpenStores: 1_000) { provider, directory in
            let idle = (1...120).map { TenantID("idle\($0)")! }
            for tenant in idle { try await record("first", in: try await provider.store(for: tenant)) }
            let busy = try await provider.store(for: TenantID("busy")!)
            #expect(provider.openStoreCount == 121)
            let hibernation = Task { await provider.hibernate(idleFor: .zero, atOnce: 8, pause: .milliseconds(200)) }
            try await record("during", in: busy)
            let stillOpen = provider.openStoreCount
            #expect(stillOpen > 60, "the write did not wait for the closes of most stores: \(121 - stillOpen) had started")
            #expect(await hibernation.value >= 120, "every idle store closes in the end")
            #expect(try await eventually { tenantsWithOpenFiles(in: directory).subtracting(["busy"]).isEmpty })
        }
    }

    @Test func hibernationClosesEveryIdleStoreAndTheyOpenAgain() async throws {
        try await withProvider(maxOpenStores: 100) { provider, directory in
            let tenants = (1...5).map { TenantID("t\($0)")! }
            for tenant in tenants {
                let store = try await provider.store(for: tenant)
                try await record("first", in: store)
                _ = try await store.alerts(AlertQuery(limit: 10))
            }
            #expect(tenantsWithOpenFiles(in: directory).count == 5)
            // A writer counts as writing until its thread has handed back the last answer and
            // looked for more; a store still doing so refuses this pass and closes at the next.
            var closed = 0
            let deadline = ContinuousClock.now + .seconds(10)
            while closed < 5 && ContinuousClock.now < deadline {
                closed += await provider.hibernate(idleFor: .zero)
                if closed < 5 { try await Task.sleep(for: .milliseconds(5)) }
            }
            #expect(closed == 5, "every idle store closes")
            #expect(try await eventually { tenantsWithOpenFiles(in: directory).isEmpty }, "\(tenantsWithOpenFiles(in: directory))")
            #expect(provider.openStoreCount == 0)
            for tenant in tenants {
                let log = try FileManager.default.attributesOfItem(atPath: "\(directory)/\(tenant.rawValue).sqlite-wal")
                #expect((log[.size] as? NSNumber)?.intValue == 0, "a closed store keeps its write-ahead log, emptied")
                #expect(FileManager.default.fileExists(atPath: "\(directory)/\(tenant.rawValue).sqlite-shm"))
            }
            let store = try await provider.store(for: tenants[0])
            #expect(try await store.alerts(AlertQuery(limit: 10)).alerts.count == 1)
            #expect(provider.openStoreCount == 1, "a read opens the store's files again and counts")
        }
    }

    @Test func aReadRunningWhenItsStoreClosesDoesNotKeepItsConnection() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alertd-readers-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/t1.sqlite"
        let setup = try SQLiteConnection(path: path)
        try setup.execute("PRAGMA journal_mode = WAL")
        try setup.execute("CREATE TABLE items (n INTEGER)")
        setup.close()
        let readers = SQLiteReaders(path: path, pool: SQLiteStoreProvider.statementThreads)
        let reading = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let read = Task {
            try await readers.read { db in
                reading.signal()
                release.wait()
                return try db.query("SELECT n FROM items").count
            }
        }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                reading.wait()
                continuation.resume()
            }
        }
        readers.closeIdle()
        release.signal()
        #expect(try await read.value == 0)
        #expect(tenantsWithOpenFiles(in: directory).isEmpty, "the read's connection closed when it ended")
        _ = try await readers.read { db in try db.query("SELECT n FROM items") }
        #expect(tenantsWithOpenFiles(in: directory) == ["t1"], "a later read keeps its connection again")
        readers.close()
    }
}
