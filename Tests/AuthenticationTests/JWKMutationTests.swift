import AlertCore
import Authentication
import Foundation
import HTTPCore
import Testing

/// Feeds jwt-kit's JWK parsing (through `TokenVerifier`, as a tenant reload does) with
/// mutated key sets: truncated, extended and corrupted base64url members, swapped key types,
/// curves and algorithms, absurd sizes. A seeded generator makes every run the same. Each
/// set must either load or be refused with an error; a set that loads must still refuse a
/// token the tenant's real key did not sign.
@Suite struct JWKMutationTests {
    /// A small deterministic generator (SplitMix64).
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    func mutate(_ text: String, _ random: inout Seeded) -> String {
        var characters = Array(text)
        switch Int.random(in: 0..<8, using: &random) {
        case 0: return String(characters.prefix(Int.random(in: 0...characters.count, using: &random)))
        case 1: return text + String((0..<Int.random(in: 1...600, using: &random)).map { _ in Self.alphabet.randomElement(using: &random)! })
        case 2:
            if !characters.isEmpty { characters[Int.random(in: 0..<characters.count, using: &random)] = Self.alphabet.randomElement(using: &random)! }
            return String(characters)
        case 3: return text + "==="
        case 4: return String(characters.map { _ in "A" })
        case 5: return String(repeating: "_", count: Int.random(in: 0...2_000, using: &random))
        case 6: return text.replacingOccurrences(of: "A", with: "+/")
        default: return ""
        }
    }

    func mutate(_ key: [String: JSONValue], _ random: inout Seeded) -> [String: JSONValue] {
        var key = key
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let member = ["n", "e", "x", "y", "d", "crv", "kty", "alg", "kid"].randomElement(using: &random)!
            switch Int.random(in: 0..<5, using: &random) {
            case 0: key[member] = nil
            case 1: key[member] = .string(["EC", "RSA", "OKP", "oct", "P-256", "P-384", "Ed25519", "X25519", "RS256", "ES256", "EdDSA", "HS256", "none"].randomElement(using: &random)!)
            case 2: key[member] = [.number(0), .number(-1), .bool(true), .null, .array([]), .object([:])].randomElement(using: &random)!
            default: key[member] = .string(mutate(key[member]?.stringValue ?? "AQAB", &random))
            }
        }
        return key
    }

    /// The algorithm a mutated key would be used with, as its type implies.
    static func algorithm(_ key: [String: JSONValue]) -> String {
        switch key["kty"]?.stringValue {
        case "RSA": "RS256"
        case "OKP": "EdDSA"
        default: "ES256"
        }
    }

    @Test func mutatedKeySetsLoadOrAreRefusedAndNeverVerifyAForeignToken() async throws {
        let real = try TestKeys()
        let forger = try TestKeys()
        guard case .array(let keys)? = try real.jwks()["keys"] else { Issue.record("no keys"); return }
        let originals = keys.compactMap(\.objectValue)
        var random = Seeded(state: 20_261_123)
        let now = Date()
        var loaded = 0
        var refused = 0
        for round in 0..<1_500 {
            let original = originals[round % originals.count]
            let mutated = mutate(original, &random)
            let config = TenantConfig(
                id: TenantID("acme")!, name: "Acme",
                auth: AuthConfig(issuer: "https://idp.acme.example", audience: "alertd", keys: .inline(.object(["keys": .array([.object(mutated)])]))),
                route: Route(receiver: "r"), receivers: [:])
            let verifier: TokenVerifier
            do {
                verifier = try await TokenVerifier(tenants: [config], now: now)
            } catch {
                refused += 1
                continue
            }
            loaded += 1
            let alg = Self.algorithm(mutated)
            let claims: [String: JSONValue] = [
                "iss": .string("https://idp.acme.example"), "aud": .string("alertd"), "sub": .string("x"), "tenant": .string("acme"),
                "exp": .number(now.timeIntervalSince1970 + 300),
            ]
            let kid = mutated["kid"]?.stringValue ?? "ec-1"
            let foreign = try forger.token(header: ["alg": .string(alg), "typ": .string("JWT"), "kid": .string(kid)], claims: claims)
            await #expect(throws: Problem.self, "round \(round): a token the real key did not sign") {
                try await verifier.verify(foreign, now: now)
            }
        }
        #expect(loaded + refused == 1_500)
        #expect(refused > 0 && loaded > 0, "the mutations reach both outcomes: \(loaded) loaded, \(refused) refused")
    }
}
