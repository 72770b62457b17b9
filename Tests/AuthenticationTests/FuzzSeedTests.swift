import AlertCore
import Foundation
import Testing
import TokenKeys

/// The `jwt` fuzz target's seeds reach past signature verification: the `*-valid` tokens
/// verify against the fixture key set (so the fuzzer starts from tokens that pass) and every
/// other seed is refused, including one signed by a fixture key but naming a `kid` the set
/// does not hold.
@Suite struct FuzzSeedTests {
    static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("fuzz").path

    /// The key set `jwks` makes for the fuzz targets' tenant.
    static func keys(_ jwks: JSONValue, file: String) async throws(ConfigProblem) -> TenantKeys {
        try await TenantKeys(auth: AuthConfig(issuer: "https://issuer.fuzz.example", audience: "alertd", keys: .inline(jwks)), file: file)
    }

    static func fixtureKeys() async throws -> TenantKeys {
        try await keys(try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: "\(fuzz)/corpus/jwks/fixture.json"))), file: "fixture.json")
    }

    @Test func onlyTheValidSeedTokensVerifyAgainstTheFixtureKeys() async throws {
        let keys = try await Self.fixtureKeys()
        #expect(Set(keys.algorithms.values) == ["ES256", "RS256", "EdDSA"])
        let seeds = try FileManager.default.contentsOfDirectory(atPath: "\(Self.fuzz)/corpus/jwt").sorted()
        #expect(seeds.count >= 6)
        for seed in seeds {
            let token = try String(contentsOfFile: "\(Self.fuzz)/corpus/jwt/\(seed)", encoding: .utf8)
            var claims: [String: JSONValue]?
            if let compact = CompactToken(token) { claims = try? await keys.verifiedClaims(of: compact) }
            #expect((claims != nil) == seed.hasSuffix("-valid.txt"), "\(seed)")
            if let claims { #expect(claims["tenant"] == .string("fuzz")) }
        }
    }

    @Test(arguments: [
        ("unknown-kid.txt", TokenRefusal.Code.unknownKey),
        ("es256-with-rsa-kid.txt", .algorithmNotAccepted),
        ("hs256-public-key.txt", .algorithmNotAccepted),
        ("none.txt", .algorithmNotAccepted),
        ("es256-other-key.txt", .signatureInvalid),
    ])
    func theKeySetSaysWhyItRefusesASeed(seed: String, code: TokenRefusal.Code) async throws {
        let keys = try await Self.fixtureKeys()
        let text = try String(contentsOfFile: "\(Self.fuzz)/corpus/jwt/\(seed)", encoding: .utf8)
        let token = try #require(CompactToken(text))
        await #expect(throws: TokenRefusal(code)) { try await keys.verifiedClaims(of: token) }
    }

    static let privateMaterial = "is private key material; a key set holds public keys only"

    /// Every JWKS the fuzzer once crashed on is refused, for the reason it names.
    @Test(arguments: [
        ("configured-set-without-keys.json", "auth.jwks", "holds no keys"),
        ("rsa-private-even-modulus.json", "auth.jwks.keys[0].d", privateMaterial),
        ("rsa-private-modulus-three.json", "auth.jwks.keys[0].d", privateMaterial),
    ])
    func theKeptJWKSInputsAreRefused(input: String, path: String, reason: String) async throws {
        let jwks = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: "\(Self.fuzz)/regressions/jwks/\(input)")))
        await #expect(throws: ConfigProblem(file: input, path: path, reason: reason)) {
            try await Self.keys(jwks, file: input)
        }
    }

    /// A key set refuses every member that holds private or secret key material, of any key type.
    @Test(arguments: [("fuzz-es256.json", "d"), ("fuzz-eddsa.json", "d"), ("fuzz-rs256.json", "p"), ("fuzz-rs256.json", "qi"), ("symmetric.json", "k")])
    func aKeySetRefusesPrivateKeyMaterial(seed: String, member: String) async throws {
        let seedSet = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: "\(Self.fuzz)/corpus/jwks/\(seed)")))
        guard case .array(let keys)? = seedSet["keys"], case .object(var key)? = keys.first else {
            Issue.record("\(seed) holds no key")
            return
        }
        key[member] = .string("AQAB")
        let jwks = JSONValue.object(["keys": .array([.object(key)])])
        await #expect(throws: ConfigProblem(file: seed, path: "auth.jwks.keys[0].\(member)", reason: Self.privateMaterial)) {
            try await Self.keys(jwks, file: seed)
        }
    }
}
