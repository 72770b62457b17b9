import AlertCore
import Crypto
import Foundation
import HTTPCore

/// The key `alertd gateway` and `alertd rating` share, and nothing else holds: the gateway
/// signs the identity it verified into a short-lived internal token (HS256), and rating
/// accepts only such tokens.
public struct InternalTokenKey: Sendable {
    let key: SymmetricKey

    /// At least 32 bytes of secret.
    public init(secret: Data) throws(GatewayError) {
        guard secret.count >= 32 else { throw GatewayError(.internalKeyInvalid, "the internal key must hold at least 32 bytes") }
        key = SymmetricKey(data: secret)
    }

    /// The key in the file at `path` (surrounding whitespace is ignored).
    public init(contentsOf path: String) throws(GatewayError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GatewayError(.internalKeyInvalid, "cannot read the internal key file \(path)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        try self.init(secret: Data(text.utf8))
    }

    static let issuer = "alertd-gateway"
    static let audience = "alertd-rating"
    /// How long an internal token is valid: one forwarded request.
    static let lifetime: TimeInterval = 30

    /// The internal token for `identity`, valid for `lifetime` seconds from `now`.
    public func token(for identity: TenantIdentity, now: Date = Date()) -> String {
        let issued = Int(now.timeIntervalSince1970)
        let header: [String: JSONValue] = ["alg": .string("HS256"), "typ": .string("JWT")]
        let claims: [String: JSONValue] = [
            "iss": .string(Self.issuer), "aud": .string(Self.audience), "tenant": .string(identity.tenant.rawValue),
            "sub": .string(identity.subject), "scope": .string(identity.scopes.claim),
            "iat": .number(Double(issued)), "exp": .number(Double(issued) + Self.lifetime),
        ]
        let input = Self.segment(header) + "." + Self.segment(claims)
        let signature = HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: key)
        return input + "." + CompactToken.base64URL(Data(signature))
    }

    func isValid(signature: Data, of input: String) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: Data(input.utf8), using: key)
    }

    static func segment(_ object: [String: JSONValue]) -> String {
        CompactToken.base64URL((try? RFC3339.jsonEncoder().encode(JSONValue.object(object))) ?? Data())
    }
}

/// Accepts only internal tokens signed with the shared key: HS256, issued by the gateway for
/// rating, unexpired and at most `lifetime` long, naming a tenant.
public struct InternalTokenVerifier: IdentityVerifier {
    let key: InternalTokenKey

    public init(key: InternalTokenKey) {
        self.key = key
    }

    public func verify(_ token: String, now: Date) async throws(Problem) -> TenantIdentity {
        guard token.utf8.count <= TokenVerifier.maxTokenBytes, let compact = CompactToken(token) else {
            throw Problem.unauthorized("only internal tokens from alertd gateway are accepted here")
        }
        guard compact.header["alg"] == .string("HS256"), key.isValid(signature: compact.signature, of: compact.signingInput)
        else { throw Problem.unauthorized("only internal tokens from alertd gateway are accepted here") }
        let claims = compact.claims
        guard claims["iss"] == .string(InternalTokenKey.issuer), claims["aud"] == .string(InternalTokenKey.audience),
            let issued = claims["iat"]?.numberValue, let expires = claims["exp"]?.numberValue,
            expires - issued <= InternalTokenKey.lifetime, now.timeIntervalSince1970 < expires + 5,
            now.timeIntervalSince1970 > issued - 5
        else { throw Problem.unauthorized("the internal token is expired or not meant for alertd rating") }
        guard let name = claims["tenant"]?.stringValue, let tenant = TenantID(name) else {
            throw Problem.unauthorized("the internal token names no tenant")
        }
        return TenantIdentity(
            tenant: tenant, subject: claims["sub"]?.stringValue ?? "unknown", scopes: TokenVerifier.scopes(claims))
    }
}
