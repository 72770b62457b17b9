import AlertCore
import JWTKit

/// A token's claims as a tree: jwt-kit checks the signature, ``TokenVerifier`` checks the
/// claims against the tenant's settings, whose names (the tenant claim) vary per tenant.
struct TokenClaims: JWTPayload {
    var claims: [String: JSONValue]

    init(claims: [String: JSONValue]) {
        self.claims = claims
    }

    init(from decoder: any Decoder) throws {
        claims = try [String: JSONValue](from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try claims.encode(to: encoder)
    }

    /// Nothing to check here: ``TokenVerifier`` checks `exp`, `nbf`, `aud`, `iss` and the
    /// tenant claim right after the signature, with the tenant's own leeway and claim name.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}
