import Foundation

/// Mutes alerts matching `targetMatchers` while an alert matching `sourceMatchers` fires with
/// the same values of the `equal` labels (`inhibit_rules:` in tenant.yaml).
public struct InhibitRule: Sendable {
    public var sourceMatchers: [Matcher]
    public var targetMatchers: [Matcher]
    public var equal: [String]
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
    public var receivers: [String: ReceiverConfig]

    public init(
        id: TenantID, name: String, auth: AuthConfig, quotas: Quotas = Quotas(), rating: RatingPolicy = RatingPolicy(),
        delivery: DeliveryPolicy = DeliveryPolicy(), route: Route, inhibitRules: [InhibitRule] = [],
        receivers: [String: ReceiverConfig]
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
