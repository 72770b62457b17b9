import Foundation

/// A JWT in compact serialization, read but not verified: its header and claims as JSON
/// objects, the signed part and the signature's bytes. Verification decides what to trust;
/// this only says what the token claims.
public struct CompactToken: Sendable, Equatable {
    /// The token as it was read.
    public let text: String
    public let header: [String: JSONValue]
    public let claims: [String: JSONValue]
    /// `header.claims`, the text the signature covers.
    public let signingInput: String
    public let signature: Data

    /// Nil unless `text` is three dot-separated base64url segments whose first two are
    /// JSON objects.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Self.object(parts[0]), let claims = Self.object(parts[1]),
            let signature = Self.bytes(parts[2])
        else { return nil }
        self.text = text
        self.header = header
        self.claims = claims
        self.signingInput = "\(parts[0]).\(parts[1])"
        self.signature = signature
    }

    /// `data` in base64url without padding, as a JWT segment.
    public static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func object(_ segment: Substring) -> [String: JSONValue]? {
        guard let data = bytes(segment), case .object(let object)? = try? JSONValue.parse(data) else { return nil }
        return object
    }

    static func bytes(_ segment: Substring) -> Data? {
        guard segment.utf8.allSatisfy({ $0.isBase64URL }) else { return nil }
        var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}

extension UInt8 {
    /// A character of the base64url alphabet (no padding).
    fileprivate var isBase64URL: Bool {
        (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) || (0x30...0x39).contains(self) || self == 0x2D || self == 0x5F
    }
}
