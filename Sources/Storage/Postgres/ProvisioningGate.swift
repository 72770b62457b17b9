import AlertCore
import Synchronization

/// Lets at most `width` tenants be set up (role, schema, migrations) at a time. A start's
/// warm-up and the background services' first passes each set up the tenants they reach;
/// without a limit they held every connection of the pool with DDL, and requests and readiness
/// checks waited behind them. Setups a request waits for go first; others in the order they
/// asked.
final class ProvisioningGate: Sendable {
    private let state: Mutex<State>

    private struct Waiter {
        let tenant: TenantID
        let continuation: CheckedContinuation<Void, Never>
    }

    private struct State {
        var free: Int
        var first: [Waiter] = []
        var waiting: [Waiter] = []
    }

    init(width: Int) {
        state = Mutex(State(free: max(1, width)))
    }

    /// How many setups wait for a place.
    var waiting: Int { state.withLock { $0.first.count + $0.waiting.count } }

    /// Runs `body`, the setup of `tenant`, once a place is free (before the other waiters' when
    /// `first`); the place goes to the next waiter when it ends.
    func run<T: Sendable>(_ tenant: TenantID, first: Bool, _ body: () async throws -> T) async throws -> T {
        await enter(tenant, first: first)
        defer { leave() }
        return try await body()
    }

    /// Moves the setup of `tenant`, when it waits, ahead of the others (a request now waits for
    /// it).
    func promote(_ tenant: TenantID) {
        state.withLock { state in
            guard let index = state.waiting.firstIndex(where: { $0.tenant == tenant }) else { return }
            state.first.append(state.waiting.remove(at: index))
        }
    }

    private func enter(_ tenant: TenantID, first: Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state -> Bool in
                guard state.free == 0 else {
                    state.free -= 1
                    return true
                }
                let waiter = Waiter(tenant: tenant, continuation: continuation)
                if first { state.first.append(waiter) } else { state.waiting.append(waiter) }
                return false
            }
            if admitted { continuation.resume() }
        }
    }

    private func leave() {
        let next = state.withLock { state -> Waiter? in
            if !state.first.isEmpty { return state.first.removeFirst() }
            if !state.waiting.isEmpty { return state.waiting.removeFirst() }
            state.free += 1
            return nil
        }
        next?.continuation.resume()
    }
}
