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
    let events: AsyncStream<AlertEvent>
    private let continuation: AsyncStream<AlertEvent>.Continuation
    private let logger: Logger
    private let leftInLedger = Mutex<Set<TenantID>>([])

    public init(capacity: Int, logger: Logger) {
        (events, continuation) = AsyncStream.makeStream(of: AlertEvent.self, bufferingPolicy: .bufferingOldest(capacity))
        self.logger = logger
    }

    public func publish(_ events: [AlertEvent]) async throws {
        for event in events {
            if case .dropped = continuation.yield(event) {
                leave(event.tenant)
                logger.notice(
                    "bus full; the event waits in the ledger for the next sweep",
                    metadata: ["tenant": "\(event.tenant)", "event": "\(event.id)"])
            }
        }
    }

    /// Notes that `tenant` has events in its ledger that the bus did not carry to the router.
    func leave(_ tenant: TenantID) {
        leftInLedger.withLock { _ = $0.insert(tenant) }
    }

    /// The tenants with events left in their ledger since the last call.
    func takeLeftInLedger() -> Set<TenantID> {
        leftInLedger.withLock { tenants in
            defer { tenants = [] }
            return tenants
        }
    }

    /// Ends the stream once the queued events are consumed.
    public func finish() {
        continuation.finish()
    }
}
