import AlertCore
import Foundation
import HTTPCore
import Synchronization
import TokenKeys

/// Verifies bearer tokens: the issuer picks the tenant's keys, the `kid` picks one key, the
/// header's `alg` must be that key's algorithm and one the tenant accepts, the signature must
/// verify, `exp`/`nbf` must hold (with the tenant's leeway), `aud` must contain the tenant's
/// audience and the tenant claim must name the tenant whose issuer signed the token.
///
/// A reload replaces the trusted tenants and keys at once. A verified token's identity is
/// cached until the token expires (or the next reload), so a producer that reuses its token
/// pays for one signature check, not one per request.
public final class TokenVerifier: Sendable {
    struct Entry: Sendable {
        var config: TenantConfig
        /// Inline or file keys, and the development key.
        var keys: TenantKeys
        /// Keys published at a JWKS URL.
        var remote: RemoteKeySet?

        /// The key set holding `kid`.
        func keySet(for kid: String) -> TenantKeys? {
            if keys.algorithms[kid] != nil { return keys }
            if let fetched = remote?.keys, fetched.algorithms[kid] != nil { return fetched }
            return nil
        }
    }

    private let trusted: Mutex<[Entry]>
    private let fetch: JWKSFetcher
    let cache = VerifiedTokenCache()

    /// Builds the key sets of `tenants`, adding each tenant's development key when given;
    /// keys published at a URL are fetched with `fetch` (by default an HTTP GET).
    public init(tenants: [TenantConfig], devKeys: [DevSigningKey] = [], fetch: JWKSFetcher? = nil, now: Date = Date()) async throws {
        let fetch = fetch ?? RemoteKeySet.httpFetcher
        self.fetch = fetch
        trusted = Mutex(try await Self.entries(tenants: tenants, devKeys: devKeys, fetch: fetch, now: now))
    }

    /// Trusts exactly `tenants` (and `devKeys`) from now on. When a key set is invalid this
    /// throws and the tenants trusted so far stay.
    public func replace(tenants: [TenantConfig], devKeys: [DevSigningKey] = [], now: Date = Date()) async throws {
        let next = try await Self.entries(tenants: tenants, devKeys: devKeys, fetch: fetch, now: now)
        trusted.withLock { $0 = next }
        cache.removeAll()
    }

    /// Fetches every JWKS URL whose refresh interval has passed, keeping the last good keys
    /// when a fetch fails. Tokens signed with a key that is gone stop verifying, cached or not.
    public func refreshKeys(now: Date = Date()) async {
        for remote in trusted.withLock({ $0.compactMap(\.remote) }) { await refresh(remote, at: now) }
    }

    /// Refreshes `remote` when due; a changed key set clears the verified-token cache.
    private func refresh(_ remote: RemoteKeySet, at now: Date) async {
        let before = remote.keys?.algorithms
        await remote.refreshIfDue(at: now)
        if remote.keys?.algorithms != before { cache.removeAll() }
    }

    private static func entries(tenants: [TenantConfig], devKeys: [DevSigningKey], fetch: @escaping JWKSFetcher, now: Date) async throws -> [Entry] {
        var entries: [Entry] = []
        for config in tenants {
            var keys: TenantKeys
            var remote: RemoteKeySet?
            if case .url(let url, let refresh) = config.auth.keys {
                keys = TenantKeys()
                remote = RemoteKeySet(auth: config.auth, url: url, refresh: refresh, fetch: fetch)
                await remote?.refreshIfDue(at: now)
            } else {
                do throws(ConfigProblem) {
                    keys = try await TenantKeys(auth: config.auth, file: nil)
                } catch {
                    throw GatewayError(.invalidKeys, "tenant \(config.id): \(error)")
                }
            }
            for devKey in devKeys where devKey.tenant == config.id {
                await keys.add(es256: devKey.key.publicKey, kid: devKey.kid)
            }
            entries.append(Entry(config: config, keys: keys, remote: remote))
        }
        return entries
    }

    /// The longest token looked at; a longer one is refused before it is parsed or hashed.
    public static let maxTokenBytes = 8_192

    public func verify(_ token: String, now: Date = Date()) async throws(Problem) -> TenantIdentity {
        guard token.utf8.count <= Self.maxTokenBytes else {
            throw Problem.unauthorized("the token is longer than \(Self.maxTokenBytes) bytes")
        }
        if let identity = cache.identity(for: token, at: now) { return identity }
        guard let compact = CompactToken(token) else { throw Problem.unauthorized("the token is not a signed JWT") }
        let (header, unverified) = (compact.header, compact.claims)
        guard let algorithm = header["alg"]?.stringValue, algorithm.lowercased() != "none" else {
            throw Problem.unauthorized("unsigned tokens are not accepted")
        }
        guard let issuer = unverified["iss"]?.stringValue else { throw Problem.unauthorized("the token has no iss") }
        let candidates = trusted.withLock { $0 }.filter { $0.config.auth.issuer == issuer }
        guard !candidates.isEmpty else { throw Problem.unauthorized("the issuer \(issuer) is not trusted") }
        guard let kid = header["kid"]?.stringValue else { throw Problem.unauthorized("the token has no kid") }
        var holders = candidates.filter { $0.keySet(for: kid) != nil }
        if holders.isEmpty {
            for remote in candidates.compactMap(\.remote) { await refresh(remote, at: now) }
            holders = candidates.filter { $0.keySet(for: kid) != nil }
        }
        let claimed = holders.first { unverified[$0.config.auth.tenantClaim]?.stringValue == $0.config.id.rawValue }
        guard let entry = claimed ?? holders.first, let keys = entry.keySet(for: kid) else {
            throw Problem.unauthorized("no key \"\(kid)\" is known for \(issuer)")
        }
        let claims: [String: JSONValue]
        do {
            claims = try await keys.verifiedClaims(of: compact)
        } catch {
            switch error.code {
            case .unknownKey: throw Problem.unauthorized("no key \"\(kid)\" is known for \(issuer)")
            case .algorithmNotAccepted: throw Problem.unauthorized("algorithm \(algorithm) is not accepted for key \"\(kid)\"")
            case .signatureInvalid: throw Problem.unauthorized("the token's signature does not verify")
            }
        }
        let identity = try identity(from: claims, entry: entry, now: now)
        if case .number(let expiry)? = claims["exp"] {
            cache.insert(identity, for: token, expiresAt: Date(timeIntervalSince1970: expiry), at: now)
        }
        return identity
    }

    private func identity(from claims: [String: JSONValue], entry: Entry, now: Date) throws(Problem) -> TenantIdentity {
        let auth = entry.config.auth
        guard case .number(let expiry)? = claims["exp"] else { throw Problem.unauthorized("the token has no exp") }
        guard now.timeIntervalSince1970 < expiry + auth.leewaySeconds else { throw Problem.unauthorized("the token has expired") }
        if let notBefore = claims["nbf"] {
            guard case .number(let start) = notBefore else { throw Problem.unauthorized("nbf is not a number") }
            guard now.timeIntervalSince1970 + auth.leewaySeconds >= start else { throw Problem.unauthorized("the token is not valid yet") }
        }
        let audiences: [String] =
            switch claims["aud"] {
            case .string(let audience)?: [audience]
            case .array(let list)?: list.compactMap(\.stringValue)
            default: []
            }
        guard audiences.contains(auth.audience) else { throw Problem.unauthorized("the token is not meant for \(auth.audience)") }
        guard let claimed = claims[auth.tenantClaim]?.stringValue else {
            throw Problem.unauthorized("the token has no \(auth.tenantClaim) claim")
        }
        guard claimed == entry.config.id.rawValue else {
            throw Problem.forbidden("the token's issuer may not act for tenant \"\(claimed)\"")
        }
        return TenantIdentity(
            tenant: entry.config.id, subject: claims["sub"]?.stringValue ?? "unknown", scopes: Self.scopes(claims))
    }

    /// `scope` (space-separated) or `scp` (a list or a space-separated string).
    static func scopes(_ claims: [String: JSONValue]) -> Set<Scope> {
        var scopes = Set<Scope>()
        for key in ["scope", "scp"] {
            switch claims[key] {
            case .string(let text)?: scopes.formUnion(text.split(separator: " ").compactMap { Scope(rawValue: String($0)) })
            case .array(let list)?: scopes.formUnion(list.compactMap { $0.stringValue.flatMap(Scope.init(rawValue:)) })
            default: break
            }
        }
        return scopes
    }
}
