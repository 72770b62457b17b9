import Foundation

/// A JWT in compact serialization, read but not verified: its header and claims as JSON
/// objects. Verification decides what to trust; this only says what the token claims.
public struct CompactToken: Sendable, Equatable {
    public var header: [String: JSONValue]
    public var claims: [String: JSONValue]

    /// Nil unless `text` is three dot-separated base64url segments whose first two are
    /// JSON objects.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let header = Self.object(parts[0]), let claims = Self.object(parts[1]) else { return nil }
        self.header = header
        self.claims = claims
    }

    static func object(_ segment: Substring) -> [String: JSONValue]? {
        guard segment.utf8.allSatisfy({ $0.isBase64URL }) else { return nil }
        var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), case .object(let object)? = try? JSONValue.parse(data) else { return nil }
        return object
    }
}

extension UInt8 {
    /// A character of the base64url alphabet (no padding).
    fileprivate var isBase64URL: Bool {
        (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) || (0x30...0x39).contains(self) || self == 0x2D || self == 0x5F
    }
}
