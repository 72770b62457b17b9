import AlertCore
import Authentication
import Foundation
import HTTPCore
import Testing

@Suite struct TokenVerifierTests {
    let acmeKeys: TestKeys
    let globexKeys: TestKeys
    let now = Date()

    init() throws {
        acmeKeys = try TestKeys()
        globexKeys = try TestKeys()
    }

    func tenants() throws -> [TenantConfig] {
        [
            TenantConfig(
                id: TenantID("acme")!, name: "Acme",
                auth: AuthConfig(issuer: "https://idp.acme.example", audience: "alertd", keys: .inline(try acmeKeys.jwks())),
                route: Route(receiver: "r"), receivers: [:]),
            TenantConfig(
                id: TenantID("globex")!, name: "Globex",
                auth: AuthConfig(
                    issuer: "https://login.globex.example", audience: "alertd-globex", tenantClaim: "org",
                    algorithms: ["EdDSA", "RS256"], leewaySeconds: 0, keys: .inline(try globexKeys.jwks(["EdDSA", "RS256"]))),
                route: Route(receiver: "r"), receivers: [:]),
        ]
    }

    func verifier() async throws -> TokenVerifier {
        try await TokenVerifier(tenants: try tenants())
    }

    func acmeClaims(_ changes: [String: JSONValue] = [:]) -> [String: JSONValue] {
        var claims: [String: JSONValue] = [
            "iss": .string("https://idp.acme.example"), "aud": .string("alertd"), "sub": .string("ci-bot"),
            "tenant": .string("acme"), "scope": .string("alerts:write alerts:read"),
            "exp": .number(now.timeIntervalSince1970 + 300), "nbf": .number(now.timeIntervalSince1970 - 10),
        ]
        for (key, value) in changes { claims[key] = value == .null ? nil : value }
        return claims
    }

    func acmeToken(alg: String = "ES256", kid: String? = "ec-1", claims: [String: JSONValue] = [:], signAs: String? = nil) throws -> String {
        var header: [String: JSONValue] = ["alg": .string(alg), "typ": .string("JWT")]
        header["kid"] = kid.map(JSONValue.string)
        return try acmeKeys.token(header: header, claims: acmeClaims(claims), signAs: signAs)
    }

    func status(_ token: String) async throws -> Int? {
        let verifier = try await verifier()
        do throws(Problem) {
            _ = try await verifier.verify(token, now: now)
            return nil
        } catch {
            return error.status.code
        }
    }

    @Test(arguments: [("ES256", "ec-1"), ("EdDSA", "ed-1"), ("RS256", "rsa-1")])
    func acceptsEachAlgorithm(alg: String, kid: String) async throws {
        let identity = try await verifier().verify(try acmeToken(alg: alg, kid: kid), now: now)
        #expect(identity == TenantIdentity(tenant: TenantID("acme")!, subject: "ci-bot", scopes: [.alertsWrite, .alertsRead]))
    }

    @Test func acceptsAudienceListsAndScpClaims() async throws {
        let token = try acmeToken(claims: [
            "aud": .array([.string("other"), .string("alertd")]), "scope": .null, "scp": .array([.string("alerts:ack")]),
        ])
        #expect(try await verifier().verify(token, now: now).scopes == [.alertsAck])
    }

    @Test func keepsOnlyTheScopesAlertdKnows() async throws {
        let token = try acmeToken(claims: ["scope": .string("alerts:write root admin:* tenant:admin")])
        #expect(try await verifier().verify(token, now: now).scopes == [.alertsWrite, .tenantAdmin])
    }

    @Test func aCachedTokenStillExpiresAndAReloadForgetsIt() async throws {
        let verifier = try await verifier()
        let token = try acmeToken(claims: ["exp": .number(now.timeIntervalSince1970 + 5)])
        #expect(try await verifier.verify(token, now: now).tenant.rawValue == "acme")
        #expect(try await verifier.verify(token, now: now.addingTimeInterval(1)).tenant.rawValue == "acme", "served from the cache")
        await #expect(throws: Problem.self, "expired, cached or not") {
            _ = try await verifier.verify(token, now: now.addingTimeInterval(10 + 60))
        }
        let fresh = try acmeToken()
        _ = try await verifier.verify(fresh, now: now)
        try await verifier.replace(tenants: try tenants().filter { $0.id.rawValue == "globex" })
        await #expect(throws: Problem.self, "a reload that drops acme drops its cached tokens") {
            _ = try await verifier.verify(fresh, now: now)
        }
    }

    @Test func refusesAlgNone() async throws {
        let token = try acmeKeys.token(header: ["alg": .string("none"), "kid": .string("ec-1")], claims: acmeClaims(), signAs: "none")
        #expect(try await status(token) == 401)
        let bare = try acmeKeys.token(header: ["alg": .string("none")], claims: acmeClaims(), signAs: "none")
        #expect(try await status(bare) == 401)
    }

    @Test func refusesHMACWithThePublicRSAKey() async throws {
        let token = try acmeToken(alg: "HS256", kid: "rsa-1", signAs: "HS256-with-rsa-public-key")
        #expect(try await status(token) == 401)
    }

    @Test func refusesAnAlgorithmThatIsNotTheKeys() async throws {
        #expect(try await status(try acmeToken(alg: "RS256", kid: "ec-1", signAs: "RS256")) == 401)
        #expect(try await status(try acmeToken(alg: "ES256", kid: "rsa-1", signAs: "ES256")) == 401)
    }

    @Test func refusesUnknownOrMissingKid() async throws {
        #expect(try await status(try acmeToken(kid: "rotated-away")) == 401)
        #expect(try await status(try acmeToken(kid: nil)) == 401)
    }

    @Test func refusesExpiredAndNotYetValidTokens() async throws {
        #expect(try await status(try acmeToken(claims: ["exp": .number(now.timeIntervalSince1970 - 60)])) == 401)
        #expect(try await status(try acmeToken(claims: ["exp": .null])) == 401)
        #expect(try await status(try acmeToken(claims: ["nbf": .number(now.timeIntervalSince1970 + 600)])) == 401)
        #expect(try await status(try acmeToken(claims: ["exp": .number(now.timeIntervalSince1970 - 10)])) == nil, "within leeway")
    }

    @Test func refusesWrongAudienceAndIssuer() async throws {
        #expect(try await status(try acmeToken(claims: ["aud": .string("alertd-globex")])) == 401)
        #expect(try await status(try acmeToken(claims: ["aud": .null])) == 401)
        #expect(try await status(try acmeToken(claims: ["iss": .string("https://evil.example")])) == 401)
    }

    @Test func refusesATamperedPayload() async throws {
        let token = try acmeToken()
        let parts = token.split(separator: ".")
        let forged = try acmeKeys.token(header: ["alg": .string("ES256"), "kid": .string("ec-1")], claims: acmeClaims(["tenant": .string("globex")]))
        let mixed = [parts[0], forged.split(separator: ".")[1], parts[2]].joined(separator: ".")
        #expect(try await status(mixed) == 401)
        #expect(try await status("not-a-token") == 401)
        #expect(try await status("a.b.c") == 401)
    }

    @Test func aTenantsTokenCannotActForAnotherTenant() async throws {
        #expect(try await status(try acmeToken(claims: ["tenant": .string("globex")])) == 403)
        #expect(try await status(try acmeToken(claims: ["tenant": .null])) == 401)
    }

    @Test func anotherTenantsKeyDoesNotVerify() async throws {
        let signedByGlobex = try globexKeys.token(header: ["alg": .string("EdDSA"), "kid": .string("ed-1")], claims: acmeClaims())
        #expect(try await status(signedByGlobex) == 401)
        let globexToken = try globexKeys.token(
            header: ["alg": .string("EdDSA"), "kid": .string("ed-1")],
            claims: [
                "iss": .string("https://login.globex.example"), "aud": .string("alertd-globex"), "org": .string("globex"),
                "exp": .number(now.timeIntervalSince1970 + 60), "scope": .string("alerts:read"),
            ])
        #expect(try await verifier().verify(globexToken, now: now).tenant.rawValue == "globex")
        let globexES256 = try globexKeys.token(
            header: ["alg": .string("ES256"), "kid": .string("ec-1")],
            claims: ["iss": .string("https://login.globex.example"), "aud": .string("alertd-globex"), "org": .string("globex"),
                     "exp": .number(now.timeIntervalSince1970 + 60)])
        #expect(try await status(globexES256) == 401, "globex does not accept ES256 keys")
    }

    @Test func devKeysAreTrustedOnlyWhenGiven() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("alertd-dev-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let acme = try tenants()[0]
        let key = try DevSigningKey.load(dataDirectory: directory, tenant: acme.id, create: true)
        let attributes = try FileManager.default.attributesOfItem(atPath: DevSigningKey.path(dataDirectory: directory, tenant: acme.id))
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let token = try await key.token(config: acme, subject: "dev", scopes: ["alerts:write"], ttl: 60)
        let withDev = try await TokenVerifier(tenants: try tenants(), devKeys: [key])
        #expect(try await withDev.verify(token).scopes == [.alertsWrite])
        #expect(try await status(token) == 401)
        let reloaded = try DevSigningKey.load(dataDirectory: directory, tenant: acme.id, create: false)
        #expect(try await TokenVerifier(tenants: try tenants(), devKeys: [reloaded]).verify(token).tenant == acme.id)
        #expect(throws: GatewayError.self) { try DevSigningKey.load(dataDirectory: directory, tenant: TenantID("globex")!, create: false) }
    }
}
