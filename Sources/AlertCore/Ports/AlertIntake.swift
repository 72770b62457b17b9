import Foundation

/// Where ingest hands accepted alerts. When `accept` returns, the alerts are durable (in the
/// tenant's ledger, or acknowledged by the Kafka broker); when it throws, ingest must not
/// answer 2xx.
public protocol AlertIntake: Sendable {
    /// Each alert's `traceparent` is carried along with it; `policy` is the tenant's rating
    /// policy, for the response history of alerts that resolve.
    func accept(_ alerts: [RatedAlert], tenant: TenantID, at now: Date, policy: RatingPolicy) async throws
}
