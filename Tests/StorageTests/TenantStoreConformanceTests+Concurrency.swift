import AlertCore
import Foundation
import Testing

extension TenantStoreConformanceTests {
    /// Concurrent `record` calls, which both stores commit together, end as if each ran alone:
    /// every occurrence counted, one ledger event per new alert, handed to the call that
    /// brought it, with the id the ledger holds it under.
    @Test(arguments: StoreBackend.allCases)
    func concurrentRecordsEndAsIfEachRanAlone(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let instances = 20
            let repeats = 3
            let answers = try await withThrowingTaskGroup(of: (Alert, [AlertEvent]).self) { group in
                for call in 0..<instances * repeats {
                    group.addTask {
                        let alert = firing(instance: "host-\(call % instances)")
                        let now = start.addingTimeInterval(Double(call))
                        return (alert, try await store.record([rated(alert, at: now)], at: now, policy: policy))
                    }
                }
                var answers: [(Alert, [AlertEvent])] = []
                for try await answer in group { answers.append(answer) }
                return answers
            }
            for (alert, events) in answers {
                #expect(events.allSatisfy { $0.fingerprint == alert.fingerprint }, "a call gets the events of its own alerts only")
            }
            let events = answers.flatMap(\.1)
            #expect(events.count == instances, "one event per new alert, none for its repeats")
            #expect(Set(events.map(\.fingerprint)).count == instances)
            let ledger = try await store.unroutedEvents(limit: 100)
            #expect(
                Set(ledger.map { "\($0.id) \($0.fingerprint)" }) == Set(events.map { "\($0.id) \($0.fingerprint)" }),
                "each event carries the id the ledger holds it under")
            let page = try await store.alerts(AlertQuery(limit: 100))
            #expect(page.alerts.count == instances)
            #expect(page.alerts.allSatisfy { $0.occurrences == repeats }, "every occurrence counted")
        }
    }
}
