import Foundation

/// Mutes alerts matching `targetMatchers` while an alert matching `sourceMatchers` fires with
/// the same values of the `equal` labels (`inhibit_rules:` in tenant.yaml).
public struct InhibitRule: Sendable {
    public var sourceMatchers: [Matcher]
    public var targetMatchers: [Matcher]
    public var equal: [String]

    public init(sourceMatchers: [Matcher], targetMatchers: [Matcher], equal: [String]) {
        self.sourceMatchers = sourceMatchers
        self.targetMatchers = targetMatchers
        self.equal = equal
    }

    /// Whether the rule mutes `target` (with `rating`) while `firing` alerts fire: some
    /// firing alert other than the target matches the source matchers and has the same
    /// values of the `equal` labels (a missing label counts as empty), as in Alertmanager.
    public func mutes(_ target: Alert, rating: Rating, firing: [AlertRecord]) -> Bool {
        sources(muting: target, rating: rating, firing: firing).first != nil
    }

    /// The firing alerts through which the rule mutes `target`; empty when it does not.
    public func sources(muting target: Alert, rating: Rating, firing: [AlertRecord]) -> LazyFilterSequence<[AlertRecord]> {
        let applies = targetMatchers.matchAll(labels: target.labels, rating: rating)
        let fingerprint = target.fingerprint
        return firing.lazy.filter { source in
            applies && source.status == .firing && source.fingerprint != fingerprint
                && sourceMatchers.matchAll(labels: source.alert.labels, rating: source.rating)
                && equal.allSatisfy { (source.alert.labels[$0] ?? "") == (target.labels[$0] ?? "") }
        }
    }
}

/// One tenant's configuration, read from `tenants/<id>/tenant.yaml`.
public struct TenantConfig: Sendable {
    public var id: TenantID
    public var name: String
    public var auth: AuthConfig
    public var quotas: Quotas
    public var rating: RatingPolicy
    public var delivery: DeliveryPolicy
    public var route: Route
    public var inhibitRules: [InhibitRule]
    public var receivers: [ReceiverName: ReceiverConfig]

    public init(
        id: TenantID, name: String, auth: AuthConfig, quotas: Quotas = Quotas(), rating: RatingPolicy = RatingPolicy(),
        delivery: DeliveryPolicy = DeliveryPolicy(), route: Route, inhibitRules: [InhibitRule] = [],
        receivers: [ReceiverName: ReceiverConfig]
    ) {
        self.id = id
        self.name = name
        self.auth = auth
        self.quotas = quotas
        self.rating = rating
        self.delivery = delivery
        self.route = route
        self.inhibitRules = inhibitRules
        self.receivers = receivers
    }
}
