import AlertCore
import Foundation
import JWTKit

/// One tenant's verification keys, by `kid`, with the algorithm each key is for.
public struct TenantKeys: Sendable {
    /// The keys, for jwt-kit to verify signatures with.
    let collection: JWTKeyCollection
    /// `kid` → the one algorithm a token signed with that key may name.
    public private(set) var algorithms: [String: String]

    /// An empty key set (a tenant whose keys come from a URL, before any fetch).
    public init() {
        collection = JWTKeyCollection()
        algorithms = [:]
    }

    /// Builds the key set from the tenant's JWKS (which `auth.keys` holds inline after
    /// loading), reporting a key that is unusable. A configured set must hold a key; a set
    /// published at a URL (`published`) may be empty, which revokes every key.
    public init(auth: AuthConfig, file: String?, published: Bool = false) async throws(ConfigProblem) {
        collection = JWTKeyCollection()
        algorithms = [:]
        guard case .inline(let jwks) = auth.keys, case .array(let keys)? = jwks["keys"], published || !keys.isEmpty else {
            throw ConfigProblem(file: file, path: "auth.jwks", reason: "holds no keys")
        }
        for (index, key) in keys.enumerated() {
            let path = "auth.jwks.keys[\(index)]"
            guard let kid = key["kid"]?.stringValue, !kid.isEmpty else {
                throw ConfigProblem(file: file, path: "\(path).kid", reason: "every key needs a kid")
            }
            if let member = Self.privateMembers.first(where: { key[$0] != nil }) {
                throw ConfigProblem(file: file, path: "\(path).\(member)", reason: "is private key material; a key set holds public keys only")
            }
            guard let algorithm = Self.algorithm(of: key) else {
                throw ConfigProblem(file: file, path: path, reason: "is not an ES256 (EC P-256), RS256 (RSA) or EdDSA (OKP Ed25519) key")
            }
            guard auth.algorithms.contains(algorithm) else {
                throw ConfigProblem(file: file, path: "\(path).alg", reason: "\(algorithm) is not in auth.algorithms")
            }
            guard algorithms[kid] == nil else {
                throw ConfigProblem(file: file, path: "\(path).kid", reason: "kid \"\(kid)\" appears twice")
            }
            do {
                var jwk = key.objectValue ?? [:]
                jwk["alg"] = .string(algorithm)
                let data = try JSONEncoder().encode(JSONValue.object(jwk))
                try await collection.add(jwk: try JSONDecoder().decode(JWK.self, from: data))
            } catch {
                throw ConfigProblem(file: file, path: path, reason: "is not a usable public key: \(error)")
            }
            algorithms[kid] = algorithm
        }
    }

    /// The claims of `token` when its header names a key of this set (`kid`) and that key's
    /// algorithm (`alg`), and the key verifies its signature. (jwt-kit alone would verify a
    /// token naming a `kid` it does not hold with the first key it was given.)
    public func verifiedClaims(of token: CompactToken) async throws(TokenRefusal) -> [String: JSONValue] {
        guard let kid = token.header["kid"]?.stringValue, let algorithm = algorithms[kid] else {
            throw TokenRefusal(.unknownKey)
        }
        guard token.header["alg"]?.stringValue == algorithm else { throw TokenRefusal(.algorithmNotAccepted) }
        do {
            return try await collection.verify(token.text, as: TokenClaims.self).claims
        } catch {
            throw TokenRefusal(.signatureInvalid)
        }
    }

    /// Adds an ES256 key (a locally generated development key).
    public mutating func add(es256 key: ES256PublicKey, kid: String) async {
        await collection.add(ecdsa: key, kid: JWKIdentifier(string: kid))
        algorithms[kid] = "ES256"
    }

    /// The JWK members that hold private or secret key material (RFC 7518 §6.2.2, §6.3.2 and
    /// §6.4.1, RFC 8037 §2). A key set never needs them, and jwt-kit would build a private key
    /// from them, which for some RSA numbers never returns or traps.
    static let privateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"]

    /// The algorithm a JWK is for: its `alg` when present (which must agree with its type),
    /// otherwise derived from `kty` and `crv`.
    public static func algorithm(of key: JSONValue) -> String? {
        let derived: String? =
            switch (key["kty"]?.stringValue, key["crv"]?.stringValue) {
            case ("EC", "P-256"): "ES256"
            case ("RSA", _): "RS256"
            case ("OKP", "Ed25519"): "EdDSA"
            default: nil
            }
        guard let derived else { return nil }
        if let declared = key["alg"]?.stringValue, declared != derived { return nil }
        return derived
    }
}
