import AlertCore
import Foundation
import JWTKit
import TokenKeys

/// A development signing key for one tenant, kept at `<data-dir>/dev-keys/<tenant>.pem`
/// (mode 0600) and trusted only by `alertd serve --dev`.
public struct DevSigningKey: Sendable {
    public let tenant: TenantID
    let key: ES256PrivateKey
    public var kid: String { "dev-\(tenant.rawValue)" }

    /// The key file of `tenant` under `dataDirectory`.
    public static func path(dataDirectory: String, tenant: TenantID) -> String {
        "\(dataDirectory)/dev-keys/\(tenant.rawValue).pem"
    }

    /// Loads the tenant's key, creating it first when `create` is set.
    public static func load(dataDirectory: String, tenant: TenantID, create: Bool) throws -> DevSigningKey {
        let path = path(dataDirectory: dataDirectory, tenant: tenant)
        if let data = FileManager.default.contents(atPath: path) {
            return DevSigningKey(tenant: tenant, key: try ES256PrivateKey(pem: data))
        }
        guard create else {
            throw GatewayError(.devKeyMissing, "no development key at \(path); run `alertd serve --dev` once to create it")
        }
        let key = ES256PrivateKey()
        try FileManager.default.createDirectory(
            atPath: "\(dataDirectory)/dev-keys", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        guard FileManager.default.createFile(atPath: path, contents: Data(key.pemRepresentation.utf8), attributes: [.posixPermissions: 0o600])
        else { throw GatewayError(.devKeyMissing, "cannot write \(path)") }
        return DevSigningKey(tenant: tenant, key: key)
    }

    /// A token for `config`'s tenant, as its own issuer would mint it.
    public func token(config: TenantConfig, subject: String, scopes: [String], ttl: TimeInterval, now: Date = Date()) async throws
        -> String
    {
        let keys = JWTKeyCollection()
        await keys.add(ecdsa: key, kid: JWKIdentifier(string: kid))
        var claims: [String: JSONValue] = [
            "iss": .string(config.auth.issuer),
            "aud": .string(config.auth.audience),
            "sub": .string(subject),
            "iat": .number(now.timeIntervalSince1970.rounded(.down)),
            "nbf": .number(now.timeIntervalSince1970.rounded(.down)),
            "exp": .number((now.timeIntervalSince1970 + ttl).rounded(.down)),
            "scope": .string(scopes.joined(separator: " ")),
        ]
        claims[config.auth.tenantClaim] = .string(config.id.rawValue)
        return try await keys.sign(TokenClaims(claims: claims), kid: JWKIdentifier(string: kid))
    }
}
