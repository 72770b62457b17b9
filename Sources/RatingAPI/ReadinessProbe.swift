/// A dependency `/readyz` checks besides the tenant stores, such as the Kafka broker or the
/// router's consumer group membership.
public struct ReadinessProbe: Sendable {
    let check: @Sendable () async -> String?

    /// `check` returns why the dependency is not ready, or nil when it is. The reason is
    /// shown unauthenticated: it must not name tenants.
    public init(_ check: @escaping @Sendable () async -> String?) {
        self.check = check
    }
}
