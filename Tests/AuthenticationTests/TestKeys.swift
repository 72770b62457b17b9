import AlertCore
import Crypto
import CryptoExtras
import Foundation
import JWTKit

/// Key pairs for one test tenant, their public JWKS, and a signer for hand-made tokens.
struct TestKeys {
    let ec = P256.Signing.PrivateKey()
    let ed = Curve25519.Signing.PrivateKey()
    let rsa: _RSA.Signing.PrivateKey

    init() throws {
        rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
    }

    static func base64URL(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The public keys for `algorithms`.
    func jwks(_ algorithms: Set<String> = ["ES256", "EdDSA", "RS256"]) throws -> JSONValue {
        let point = ec.publicKey.x963Representation.dropFirst()
        let rsaPrimitives = try rsa.publicKey.getKeyPrimitives()
        let keys: [(String, JSONValue)] = [
                ("ES256", .object([
                    "kty": .string("EC"), "crv": .string("P-256"), "kid": .string("ec-1"), "alg": .string("ES256"),
                    "x": .string(Self.base64URL(point.prefix(32))), "y": .string(Self.base64URL(point.suffix(32))),
                ])),
                ("EdDSA", .object([
                    "kty": .string("OKP"), "crv": .string("Ed25519"), "kid": .string("ed-1"),
                    "x": .string(Self.base64URL(ed.publicKey.rawRepresentation)),
                ])),
                ("RS256", .object([
                    "kty": .string("RSA"), "kid": .string("rsa-1"), "alg": .string("RS256"),
                    "n": .string(Self.base64URL(rsaPrimitives.modulus)), "e": .string(Self.base64URL(rsaPrimitives.publicExponent)),
                ])),
        ]
        return .object(["keys": .array(keys.filter { algorithms.contains($0.0) }.map(\.1))])
    }

    /// A compact JWS with `header` and `claims`, signed for `alg` with this tenant's keys.
    func token(header: [String: JSONValue], claims: [String: JSONValue], signAs alg: String? = nil) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let input =
            Self.base64URL(try encoder.encode(JSONValue.object(header))) + "." + Self.base64URL(try encoder.encode(JSONValue.object(claims)))
        let bytes = Data(input.utf8)
        let signature: Data
        switch alg ?? header["alg"]?.stringValue {
        case "ES256": signature = try ec.signature(for: bytes).rawRepresentation
        case "EdDSA": signature = try ed.signature(for: bytes)
        case "RS256": signature = try rsa.signature(for: bytes, padding: .insecurePKCS1v1_5).rawRepresentation
        case "HS256-with-rsa-public-key":
            let pem = Data(rsa.publicKey.pemRepresentation.utf8)
            signature = Data(HMAC<SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: pem)))
        default: signature = Data()
        }
        return input + "." + Self.base64URL(signature)
    }
}
