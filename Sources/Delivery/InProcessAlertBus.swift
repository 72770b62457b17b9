import AlertCore
import Logging
import Synchronization

/// The embedded bus: a bounded in-memory queue from ingest to the dispatcher.
///
/// Events are already durable in their tenant's ledger when they are published, so when the
/// queue is full the newest events are left for the dispatcher's ledger sweep instead of
/// blocking ingest. The bus remembers which tenants have events waiting in their ledger, so
/// that the sweep visits only those.
public final class InProcessAlertBus: AlertBus {
    private let capacity: Int
    private let logger: Logger
    private let state = Mutex(State())
    private let queuedEvents = Wakeup()

    private struct State {
        var queued: [AlertEvent] = []
        var leftInLedger: Set<TenantID> = []
    }

    public init(capacity: Int, logger: Logger) {
        self.capacity = capacity
        self.logger = logger
    }

    public func publish(_ events: [AlertEvent]) async throws {
        let (queued, dropped) = state.withLock { state -> (Bool, [AlertEvent]) in
            var dropped: [AlertEvent] = []
            for event in events {
                if state.queued.count < capacity {
                    state.queued.append(event)
                } else {
                    state.leftInLedger.insert(event.tenant)
                    dropped.append(event)
                }
            }
            return (!state.queued.isEmpty, dropped)
        }
        if queued { queuedEvents.signal() }
        for event in dropped {
            logger.notice(
                "bus full; the event waits in the ledger for the next sweep", metadata: ["tenant": "\(event.tenant)", "event": "\(event.id)"])
        }
    }

    /// The queued events, `limit` at most, in the order they were published; waits while none
    /// is queued. Returns none when the task is cancelled. One dispatcher takes from the bus.
    func take(upTo limit: Int) async -> [AlertEvent] {
        while !Task.isCancelled {
            if let events = takeQueued(upTo: limit) { return events }
            await queuedEvents.wait()
        }
        return []
    }

    private func takeQueued(upTo limit: Int) -> [AlertEvent]? {
        state.withLock { state in
            guard !state.queued.isEmpty else { return nil }
            let taken = Array(state.queued.prefix(limit))
            state.queued.removeFirst(taken.count)
            return taken
        }
    }

    /// Notes that `tenant` has events in its ledger that the bus did not carry to the router.
    func leave(_ tenant: TenantID) {
        state.withLock { _ = $0.leftInLedger.insert(tenant) }
    }

    /// The tenants with events left in their ledger since the last call.
    func takeLeftInLedger() -> Set<TenantID> {
        state.withLock { state in
            defer { state.leftInLedger = [] }
            return state.leftInLedger
        }
    }
}
