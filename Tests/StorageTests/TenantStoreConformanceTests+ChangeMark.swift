import AlertCore
import Foundation
import Testing

extension TenantStoreConformanceTests {
    @Test(arguments: StoreBackend.allCases)
    func theChangeMarkMovesWithEveryChangeALiveViewShows(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            var now = start
            var mark = try await store.changeMark(of: .firing, at: now)
            #expect(try await store.changeMark(of: .firing, at: now) == mark, "nothing changed")

            /// The mark after `change`, which must differ from the one before.
            func expectMoved(_ what: String, _ change: () async throws -> Void) async throws {
                try await change()
                let next = try await store.changeMark(of: .firing, at: now)
                #expect(next != mark, "\(what) moves the mark")
                mark = next
            }
            let alert = firing(instance: "db-1")
            try await expectMoved("a new alert") { _ = try await store.record([rated(alert, at: now)], at: now, policy: policy) }
            now += 60
            try await expectMoved("the alert firing again") { _ = try await store.record([rated(alert, at: now)], at: now, policy: policy) }
            try await expectMoved("a new rating") { _ = try await store.record([rated(alert, score: 0.9, at: now)], at: now, policy: policy) }
            let fingerprint = alert.fingerprint
            now += 1
            try await expectMoved("an acknowledgement") { _ = try await store.acknowledge(fingerprint, by: "ops", at: now, policy: policy) }
            now += 1
            try await expectMoved("feedback") { _ = try await store.feedback(fingerprint, .noise, at: now, policy: policy) }
            let silence = Silence(
                matchers: [#"alertname="DiskFull""#], startsAt: now + 30, endsAt: now + 3_600, createdBy: "ops", comment: "later", createdAt: now)
            try await expectMoved("a pending silence") { try await store.createSilence(silence) }
            now += 31
            try await expectMoved("the silence starting") {}
            try await expectMoved("the silence expired") { _ = try await store.expireSilence(id: silence.id, at: now) }
            #expect(try await store.changeMark(of: .firing, at: now) == mark, "nothing changed")
            now += 1
            try await expectMoved("the alert resolving") { _ = try await store.resolve(fingerprint, at: now, policy: policy) }
            #expect(try await store.changeMark(of: .resolved, at: now) != mark)
        }
    }
}
