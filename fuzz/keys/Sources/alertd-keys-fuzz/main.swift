import AlertCore
import Dispatch
import Foundation
import TokenKeys

/// libFuzzer's entry point for the key and token targets: runs the target named by
/// `ALERTD_FUZZ_TARGET` on each input. A target must never crash and its invariants must hold
/// for any bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func alertdKeysFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Data(bytes: data, count: size)
    _ = KeysFuzzTarget.fixtureKeys
    waitFor { await KeysFuzzTarget.selected.run(input) }
    return 0
}

/// Runs `body` to its end on the concurrency pool while the fuzzer's thread waits.
func waitFor<T>(_ body: @escaping () async -> T) -> T {
    let done = DispatchSemaphore(value: 0)
    let result = Outcome<T>()
    Task {
        result.value = await body()
        done.signal()
    }
    done.wait()
    return result.value!
}

/// What `waitFor` hands from the task back to the waiting thread.
final class Outcome<T>: @unchecked Sendable {
    var value: T?
}

enum KeysFuzzTarget: String, CaseIterable {
    /// JWKS documents, as a tenant's `auth.jwks`, JWKS file or JWKS URL supplies them.
    case jwks
    /// Bearer tokens checked against a tenant's keys.
    case jwt

    static let selected: KeysFuzzTarget = {
        let name = ProcessInfo.processInfo.environment["ALERTD_FUZZ_TARGET"] ?? ""
        guard let target = KeysFuzzTarget(rawValue: name) else {
            fatalError("ALERTD_FUZZ_TARGET must be one of \(allCases.map(\.rawValue))")
        }
        return target
    }()

    /// The public keys that signed the `*-valid` tokens of the `jwt` seed corpus.
    static let fixtureJWKS = """
        {"keys": [{"kty": "EC", "crv": "P-256", "kid": "fuzz-es256", "x": "2kqcyq2brAPsOCN57CIbo58JhOA2J3RtL3ayMX0RFTA", "y": "K05RhigHSjGxJWVIyjwCVYPXcLd7LuwJWSmr_78g5O0"}, {"kty": "RSA", "kid": "fuzz-rs256", "alg": "RS256", "n": "4xcvpbuwuOWTSU29Y_qaW6W8euFCzcODgjhsYiA-Q-sBoWCn1-XXPYZVTUTdJdzCdWDMeEUC67q_ac5btt0atf3ZEwMG0jsh-04lzEk5h9xC2jQz04m2LGy3j0-KxW1j0UhMnsHuU-C3T2PvjgQku1NvUz_wReCgDafBbbZQwZqHZ86ROdhbZZmhYmInWRDuxE9ZHMQYtZTyMEJORO_GkEd6KV0luDH4nafPr5u-Mn63kPif7nm2TPf0ptaMwxLvX4D9MaAo5XeEQlbdzbv-k5LJiAi8XMpBva7omSTT_ByuE-lfKVyTKTK5fX29UadkN8XmS0jfsL5UJE9Qx5fI8Q", "e": "AQAB"}, {"kty": "OKP", "crv": "Ed25519", "kid": "fuzz-eddsa", "x": "dZsvDPZdB4_5mJpeZ82DPYIgJS5SLcmQ4C8QWSOqksw"}]}
        """
    /// The claims every `*-valid` seed token carries.
    static let fixtureClaims = try! JSONValue.parse(
        Data(
            #"{"iss": "https://issuer.fuzz.example", "aud": "alertd", "tenant": "fuzz", "sub": "producer", "scope": "alerts:write", "exp": 4102444800}"#
                .utf8))

    static func auth(_ jwks: JSONValue) -> AuthConfig {
        AuthConfig(issuer: "https://issuer.fuzz.example", audience: "alertd", keys: .inline(jwks))
    }

    /// Loaded on the fuzzer's thread before the first input runs.
    static let fixtureKeys: TenantKeys = waitFor {
        try! await TenantKeys(auth: auth(try! JSONValue.parse(Data(fixtureJWKS.utf8))), file: "fixture")
    }

    /// The fixture claims as a token's second segment.
    static let fixtureClaimsSegment = CompactToken.base64URL(try! JSONEncoder().encode(fixtureClaims))

    /// A token naming `kid` and `algorithm` that carries the fixture claims and a signature no
    /// key made (a fixed byte pattern of the algorithm's signature length): no key set may
    /// accept it, whatever numbers its keys hold.
    static func forgedToken(kid: String, algorithm: String) -> CompactToken {
        let header = JSONValue.object(["alg": .string(algorithm), "kid": .string(kid), "typ": .string("JWT")])
        let signature = Data(repeating: 0x5A, count: algorithm == "RS256" ? 256 : 64)
        let text = [CompactToken.base64URL(try! JSONEncoder().encode(header)), fixtureClaimsSegment, CompactToken.base64URL(signature)]
        guard let token = CompactToken(text.joined(separator: ".")) else { preconditionFailure("a forged token for \(kid) does not parse") }
        return token
    }

    func run(_ data: Data) async {
        switch self {
        case .jwks:
            guard let document = try? JSONValue.parse(data) else { return }
            let auth = Self.auth(document)
            guard let keys = try? await TenantKeys(auth: auth, file: "fuzz") else { return }
            precondition(!keys.algorithms.isEmpty, "a loaded key set holds a key")
            precondition(keys.algorithms.values.allSatisfy(auth.algorithms.contains), "every key is for an accepted algorithm")
            for (kid, algorithm) in keys.algorithms {
                let verified = try? await keys.verifiedClaims(of: Self.forgedToken(kid: kid, algorithm: algorithm))
                precondition(verified == nil, "key \(kid) accepts a token its owner did not sign")
            }
        case .jwt:
            guard let token = CompactToken(String(decoding: data, as: UTF8.self)),
                let claims = try? await Self.fixtureKeys.verifiedClaims(of: token)
            else { return }
            precondition(.object(claims) == Self.fixtureClaims, "only what the fixture keys signed verifies")
        }
    }
}
