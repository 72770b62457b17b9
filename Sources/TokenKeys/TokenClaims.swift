import AlertCore
import JWTKit

/// A token's claims as a tree: jwt-kit checks the signature, the gateway's token verifier
/// checks the claims against the tenant's settings, whose names (the tenant claim) vary per
/// tenant.
public struct TokenClaims: JWTPayload {
    public var claims: [String: JSONValue]

    public init(claims: [String: JSONValue]) {
        self.claims = claims
    }

    public init(from decoder: any Decoder) throws {
        claims = try [String: JSONValue](from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try claims.encode(to: encoder)
    }

    /// Nothing to check here: the token verifier checks `exp`, `nbf`, `aud`, `iss` and the
    /// tenant claim right after the signature, with the tenant's own leeway and claim name.
    public func verify(using algorithm: some JWTAlgorithm) async throws {}
}
