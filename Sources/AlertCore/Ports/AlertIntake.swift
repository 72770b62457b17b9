import Foundation

/// Where ingest hands accepted alerts. When `accept` returns, the alerts are durable (in the
/// tenant's ledger, or acknowledged by the Kafka broker); when it throws, ingest must not
/// answer 2xx.
public protocol AlertIntake: Sendable {
    /// `traceparent` is the producer's W3C trace context, carried along when present.
    func accept(_ alerts: [RatedAlert], tenant: TenantID, traceparent: String?, at now: Date) async throws
}
