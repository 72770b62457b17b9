import Foundation

/// How a tenant's bearer tokens are verified (`auth:` in tenant.yaml).
public struct AuthConfig: Sendable, Equatable {
    /// Where the tenant's public keys come from.
    public enum KeySource: Sendable, Equatable {
        /// A JWKS document written in the tenant file.
        case inline(JSONValue)
        /// A JWKS file; a relative path is relative to the tenant's directory.
        case file(String)
        /// A JWKS published at an http(s) URL, fetched again every `refresh` seconds and when a
        /// token names an unknown `kid` (at most once per `refresh`).
        case url(String, refresh: TimeInterval)
    }

    /// The `iss` every token of this tenant carries.
    public var issuer: String
    /// A value the token's `aud` must contain.
    public var audience: String
    /// The claim that names the tenant.
    public var tenantClaim: String
    /// JWS algorithms accepted for this tenant.
    public var algorithms: [String]
    /// Allowed clock skew for `exp` and `nbf`, in seconds.
    public var leewaySeconds: Double
    public var keys: KeySource
    /// Routing keys that authenticate PagerDuty events for this tenant.
    public var integrationKeys: [IntegrationKey]

    public static let supportedAlgorithms = ["ES256", "RS256", "EdDSA"]

    public init(
        issuer: String, audience: String, tenantClaim: String = "tenant",
        algorithms: [String] = AuthConfig.supportedAlgorithms, leewaySeconds: Double = 30, keys: KeySource,
        integrationKeys: [IntegrationKey] = []
    ) {
        self.issuer = issuer
        self.audience = audience
        self.tenantClaim = tenantClaim
        self.algorithms = algorithms
        self.leewaySeconds = leewaySeconds
        self.keys = keys
        self.integrationKeys = integrationKeys
    }
}
