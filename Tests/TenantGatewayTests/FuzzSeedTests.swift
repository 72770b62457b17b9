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

    @Test func onlyTheValidSeedTokensVerifyAgainstTheFixtureKeys() async throws {
        let jwks = try JSONValue.parse(try Data(contentsOf: URL(fileURLWithPath: "\(Self.fuzz)/corpus/jwks/fixture.json")))
        let keys = try await TenantKeys(
            auth: AuthConfig(issuer: "https://issuer.fuzz.example", audience: "alertd", keys: .inline(jwks)), file: "fixture.json")
        #expect(Set(keys.algorithms.values) == ["ES256", "RS256", "EdDSA"])
        let seeds = try FileManager.default.contentsOfDirectory(atPath: "\(Self.fuzz)/corpus/jwt").sorted()
        #expect(seeds.count >= 6)
        for seed in seeds {
            let token = try String(contentsOfFile: "\(Self.fuzz)/corpus/jwt/\(seed)", encoding: .utf8)
            let claims = await keys.verifiedClaims(of: token)
            #expect((claims != nil) == seed.hasSuffix("-valid.txt"), "\(seed)")
            if let claims { #expect(claims["tenant"] == .string("fuzz")) }
        }
    }
}
