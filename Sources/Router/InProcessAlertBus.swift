import AlertCore
import Logging

/// The embedded bus: a bounded in-memory queue from ingest to the dispatcher.
///
/// Events are already durable in their tenant's ledger when they are published, so when the
/// queue is full the newest events are left for the dispatcher's ledger sweep instead of
/// blocking ingest.
public final class InProcessAlertBus: AlertBus {
    let events: AsyncStream<AlertEvent>
    private let continuation: AsyncStream<AlertEvent>.Continuation
    private let logger: Logger

    public init(capacity: Int, logger: Logger) {
        (events, continuation) = AsyncStream.makeStream(of: AlertEvent.self, bufferingPolicy: .bufferingOldest(capacity))
        self.logger = logger
    }

    public func publish(_ events: [AlertEvent]) async throws {
        for event in events {
            if case .dropped = continuation.yield(event) {
                logger.notice(
                    "bus full; the event waits in the ledger for the next sweep",
                    metadata: ["tenant": "\(event.tenant)", "event": "\(event.id)"])
            }
        }
    }

    /// Ends the stream once the queued events are consumed.
    public func finish() {
        continuation.finish()
    }
}
