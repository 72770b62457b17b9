/// A receiver's name, unique within its tenant (`receivers[].name` in tenant.yaml); routes,
/// groups and notifications name their receiver with it. Encoded as the bare string.
public struct ReceiverName: RawRepresentable, Hashable, Comparable, Codable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(_ name: String) {
        self.init(rawValue: name)
    }

    public init(stringLiteral name: String) {
        self.init(rawValue: name)
    }

    public var description: String { rawValue }

    public static func < (lhs: ReceiverName, rhs: ReceiverName) -> Bool { lhs.rawValue < rhs.rawValue }
}
