import Foundation

/// A stable identity of an alert: FNV-1a 64 over its label set sorted by name, the way
/// Alertmanager fingerprints a label set, printed as 16 hex digits.
public struct Fingerprint: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 16-hex-digit form used in URLs and bodies.
    public let rawValue: String

    /// Computes the fingerprint of a label set.
    public init(labels: [String: String]) {
        var hash: UInt64 = 14_695_981_039_346_656_037
        func add(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash &*= 1_099_511_628_211
        }
        for name in labels.keys.sorted() {
            for byte in name.utf8 { add(byte) }
            add(0xFF)
            for byte in labels[name]!.utf8 { add(byte) }
            add(0xFF)
        }
        let hex = String(hash, radix: 16)
        rawValue = String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Accepts an existing fingerprint string (16 lowercase hex digits).
    public init?(_ rawValue: String) {
        guard rawValue.utf8.count == 16, rawValue.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else { return nil }
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = Fingerprint(raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid fingerprint"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
