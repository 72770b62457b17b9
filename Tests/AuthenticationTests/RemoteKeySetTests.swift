import AlertCore
import Authentication
import Foundation
import HTTPCore
import Testing

/// Keys published at a JWKS URL: rotation without a restart, removal, and an unreachable URL.
@Suite struct RemoteKeySetTests {
    /// What the identity provider publishes; nil while its URL is down.
    actor PublishedKeys {
        var document: JSONValue?
        private(set) var fetches = 0

        func publish(_ document: JSONValue?) { self.document = document }

        func fetch() throws -> Data {
            fetches += 1
            guard let document else { throw URLError(.cannotConnectToHost) }
            return try JSONEncoder().encode(document)
        }
    }

    let start = Date()
    let old: TestKeys
    let new: TestKeys

    init() throws {
        old = try TestKeys()
        new = try TestKeys()
    }

    func tenant() -> TenantConfig {
        TenantConfig(
            id: TenantID("acme")!, name: "Acme",
            auth: AuthConfig(issuer: "https://idp.acme.example", audience: "alertd", keys: .url("https://idp.acme.example/jwks", refresh: 60)),
            route: Route(receiver: "r"), receivers: [:])
    }

    func token(_ keys: TestKeys, alg: String, kid: String, at now: Date) throws -> String {
        try keys.token(
            header: ["alg": .string(alg), "kid": .string(kid), "typ": .string("JWT")],
            claims: [
                "iss": .string("https://idp.acme.example"), "aud": .string("alertd"), "sub": .string("bot"), "tenant": .string("acme"),
                "exp": .number(now.timeIntervalSince1970 + 3_600),
            ])
    }

    func accepts(_ verifier: TokenVerifier, _ token: String, at now: Date) async -> Bool {
        do throws(Problem) {
            return try await verifier.verify(token, now: now).tenant.rawValue == "acme"
        } catch {
            return false
        }
    }

    @Test func aNewKidIsAcceptedWithoutARestartAndARemovedKeyIsRefusedAfterTheRefresh() async throws {
        let published = PublishedKeys()
        await published.publish(try old.jwks(["ES256"]))
        let verifier = try await TokenVerifier(tenants: [tenant()], fetch: { _ in try await published.fetch() }, now: start)
        let oldToken = try token(old, alg: "ES256", kid: "ec-1", at: start)
        #expect(await accepts(verifier, oldToken, at: start))

        await published.publish(try old.jwks(["ES256"]).adding(try new.jwks(["EdDSA"]).replacingKid("ed-1", with: "ed-2")))
        let newToken = try token(new, alg: "EdDSA", kid: "ed-2", at: start)
        #expect(!(await accepts(verifier, newToken, at: start.addingTimeInterval(5))), "an unknown kid refreshes at most once per interval")
        #expect(await accepts(verifier, newToken, at: start.addingTimeInterval(61)), "after the interval an unknown kid fetches the new set")

        await published.publish(try new.jwks(["EdDSA"]).replacingKid("ed-1", with: "ed-2"))
        #expect(await accepts(verifier, oldToken, at: start.addingTimeInterval(62)), "until the next refresh the old key still verifies")
        await verifier.refreshKeys(now: start.addingTimeInterval(130))
        #expect(!(await accepts(verifier, oldToken, at: start.addingTimeInterval(131))), "a removed key is refused after the refresh")
        #expect(await accepts(verifier, newToken, at: start.addingTimeInterval(131)))
    }

    @Test func theLastGoodKeysStayWhileTheURLIsDown() async throws {
        let published = PublishedKeys()
        await published.publish(try old.jwks(["ES256"]))
        let verifier = try await TokenVerifier(tenants: [tenant()], fetch: { _ in try await published.fetch() }, now: start)
        await published.publish(nil)
        await verifier.refreshKeys(now: start.addingTimeInterval(120))
        #expect(await published.fetches == 2, "the refresh was attempted")
        #expect(await accepts(verifier, try token(old, alg: "ES256", kid: "ec-1", at: start), at: start.addingTimeInterval(121)))
    }

    @Test func aPublishedPrivateKeyIsRefusedAndTheLastGoodKeysStay() async throws {
        let published = PublishedKeys()
        await published.publish(try old.jwks(["ES256"]))
        let verifier = try await TokenVerifier(tenants: [tenant()], fetch: { _ in try await published.fetch() }, now: start)
        let privateKey = try JSONValue.parse(
            try Data(contentsOf: URL(fileURLWithPath: "\(FuzzSeedTests.fuzz)/regressions/jwks/rsa-private-even-modulus.json")))
        await published.publish(try old.jwks(["ES256"]).adding(privateKey))
        await verifier.refreshKeys(now: start.addingTimeInterval(120))
        #expect(await published.fetches == 2, "the refresh was attempted")
        #expect(await accepts(verifier, try token(old, alg: "ES256", kid: "ec-1", at: start), at: start.addingTimeInterval(121)))
    }

    @Test func anEmptyPublishedSetRevokesEveryKey() async throws {
        let published = PublishedKeys()
        await published.publish(try old.jwks(["ES256"]))
        let verifier = try await TokenVerifier(tenants: [tenant()], fetch: { _ in try await published.fetch() }, now: start)
        let oldToken = try token(old, alg: "ES256", kid: "ec-1", at: start)
        #expect(await accepts(verifier, oldToken, at: start))
        await published.publish(.object(["keys": .array([])]))
        await verifier.refreshKeys(now: start.addingTimeInterval(120))
        #expect(!(await accepts(verifier, oldToken, at: start.addingTimeInterval(121))), "the identity provider withdrew every key")
    }

    @Test func aTenantWhoseURLWasNeverReachableRefusesTokens() async throws {
        let published = PublishedKeys()
        let verifier = try await TokenVerifier(tenants: [tenant()], fetch: { _ in try await published.fetch() }, now: start)
        #expect(!(await accepts(verifier, try token(old, alg: "ES256", kid: "ec-1", at: start), at: start)))
    }
}

extension JSONValue {
    /// This JWKS with the keys of `other` added.
    func adding(_ other: JSONValue) -> JSONValue {
        guard case .object(var document) = self, case .array(let keys)? = document["keys"], case .array(let more)? = other["keys"] else {
            return self
        }
        document["keys"] = .array(keys + more)
        return .object(document)
    }

    /// A JWKS whose keys named `old` are named `new`.
    func replacingKid(_ old: String, with new: String) -> JSONValue {
        guard case .object(var document) = self, case .array(let keys)? = document["keys"] else { return self }
        document["keys"] = .array(
            keys.map { key in
                guard case .object(var object) = key, object["kid"]?.stringValue == old else { return key }
                object["kid"] = .string(new)
                return .object(object)
            })
        return .object(document)
    }
}
