import Foundation

/// A tenant's identifier: `[a-z][a-z0-9-]{1,38}`, usable as a Kubernetes namespace,
/// a Kafka topic part and (with `-` as `_`) a PostgreSQL schema name.
public struct TenantID: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
    /// The identifier as written in the tenant's config.
    public let rawValue: String

    /// Validates `rawValue`; returns nil when it is not a well-formed tenant id.
    public init?(_ rawValue: String) {
        guard Self.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// Whether `value` matches `[a-z][a-z0-9-]{1,38}`.
    public static func isValid(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard (2...39).contains(bytes.count), let first = bytes.first, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first)
        else { return false }
        return bytes.dropFirst().allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }

    public var description: String { rawValue }

    public static func < (lhs: TenantID, rhs: TenantID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let id = TenantID(raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "invalid tenant id"))
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
