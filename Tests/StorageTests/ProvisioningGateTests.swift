import AlertCore
import Synchronization
import Testing

@testable import Storage

/// At most `width` setups run at a time; those a request waits for go first, the others in
/// the order they came.
@Suite struct ProvisioningGateTests {
    final class Log: Sendable {
        let state = Mutex((running: 0, most: 0, entered: [String](), open: false))
    }

    /// Each of `setups` asks `gate` in turn (the next once the last runs or waits); once the
    /// last asked, `between` runs, then every setup is let finish. The order they ran in.
    func run(
        _ gate: ProvisioningGate, width: Int, _ setups: [(tenant: String, first: Bool)], between: () -> Void = {}
    ) async throws -> (order: [String], most: Int) {
        let log = Log()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, setup) in setups.enumerated() {
                group.addTask {
                    try await gate.run(TenantID(setup.tenant)!, first: setup.first) {
                        log.state.withLock { state in
                            state.running += 1
                            state.most = max(state.most, state.running)
                            state.entered.append(setup.tenant)
                        }
                        while !log.state.withLock({ $0.open }) { try await Task.sleep(for: .milliseconds(1)) }
                        log.state.withLock { $0.running -= 1 }
                    }
                }
                if index < width {
                    #expect(try await eventually { log.state.withLock { $0.entered.count } == index + 1 })
                } else {
                    #expect(try await eventually { gate.waiting == index + 1 - width }, "\(setup.tenant) waits")
                }
            }
            between()
            log.state.withLock { $0.open = true }
            try await group.waitForAll()
        }
        #expect(gate.waiting == 0)
        return log.state.withLock { ($0.entered, $0.most) }
    }

    @Test func runsAtMostItsWidthAtATimeInArrivalOrder() async throws {
        let setups = (0..<6).map { (tenant: "t\($0)", first: false) }
        let (order, most) = try await run(ProvisioningGate(width: 2), width: 2, setups)
        #expect(most == 2)
        #expect(order == setups.map(\.tenant))
    }

    @Test func setupsARequestWaitsForGoFirst() async throws {
        let gate = ProvisioningGate(width: 1)
        let setups = [(tenant: "running", first: false), ("alpha", false), ("bravo", false), ("charlie", false), ("request", true)]
        let (order, _) = try await run(gate, width: 1, setups, between: { gate.promote(TenantID("charlie")!) })
        #expect(order == ["running", "request", "charlie", "alpha", "bravo"])
    }
}
