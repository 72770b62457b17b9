import AlertCore
import Crypto
import Foundation

/// Makes the tokens a hostile or careless client sends: any header and claims, signed with
/// a tenant's development key (ES256), with an HMAC secret, or not at all.
struct TokenForge {
    let key: P256.Signing.PrivateKey
    let tenant: String
    let issuer: String

    init(deployment: TestDeployment, tenant: String, issuer: String) throws {
        let pem = try String(contentsOfFile: "\(deployment.dataDirectory)/dev-keys/\(tenant).pem", encoding: .utf8)
        key = try P256.Signing.PrivateKey(pemRepresentation: pem)
        self.tenant = tenant
        self.issuer = issuer
    }

    enum Signature {
        case es256
        case hmac(Data)
        case none
    }

    static func base64URL(_ data: Data) -> String { CompactToken.base64URL(data) }

    /// Claims a valid token of this tenant has, with `changes` applied (NSNull removes one).
    func claims(_ changes: [String: Any] = [:], scopes: String = "alerts:write alerts:read", now: Date = Date()) -> [String: Any] {
        var claims: [String: Any] = [
            "iss": issuer, "aud": "alertd", "sub": "forge", "tenant": tenant, "scope": scopes,
            "iat": Int(now.timeIntervalSince1970), "nbf": Int(now.timeIntervalSince1970) - 5, "exp": Int(now.timeIntervalSince1970) + 300,
        ]
        for (name, value) in changes { claims[name] = value is NSNull ? nil : value }
        return claims
    }

    func token(header: [String: Any]? = nil, claims: [String: Any]? = nil, signature: Signature = .es256) throws -> String {
        let header = header ?? ["alg": "ES256", "typ": "JWT", "kid": "dev-\(tenant)"]
        let input =
            Self.base64URL(try JSONSerialization.data(withJSONObject: header, options: .sortedKeys)) + "."
            + Self.base64URL(try JSONSerialization.data(withJSONObject: claims ?? self.claims(), options: .sortedKeys))
        let signed: Data
        switch signature {
        case .es256: signed = try key.signature(for: Data(input.utf8)).rawRepresentation
        case .hmac(let secret): signed = Data(HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: SymmetricKey(data: secret)))
        case .none: signed = Data()
        }
        return input + "." + Self.base64URL(signed)
    }

    /// The public key as its PEM text, the secret of the HS256-with-the-public-key attack.
    var publicKeyPEM: Data { Data(key.publicKey.pemRepresentation.utf8) }
}
