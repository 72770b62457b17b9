import AlertCore
import Foundation

/// Topic names: a tenant's alerts go to `<prefix>.<tenant>`, records the router refuses to
/// `<prefix>.<tenant>.dlq`. The prefix is `alerts` unless a deployment shares its Kafka
/// cluster with another one.
public struct TenantTopics: Sendable {
    public let prefix: String

    /// `prefix` must be a valid start of a topic name: letters, digits, `.`, `_` and `-`.
    public init?(prefix: String = "alerts") {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !prefix.isEmpty, prefix.count <= 200, prefix.unicodeScalars.allSatisfy(allowed.contains) else { return nil }
        self.prefix = prefix
    }

    /// The router's subscription: every tenant's alert topic, no dead-letter topic.
    public var subscription: String {
        "^" + NSRegularExpression.escapedPattern(for: prefix) + #"\.[a-z][a-z0-9-]*$"#
    }

    public func alerts(_ tenant: TenantID) -> String { "\(prefix).\(tenant.rawValue)" }

    public func deadLetters(_ tenant: String) -> String { "\(prefix).\(tenant).dlq" }

    /// The tenant part of an alert topic's name, whether or not such a tenant is loaded.
    public func tenantName(of topic: String) -> String? {
        guard topic.hasPrefix("\(prefix)."), !topic.hasSuffix(".dlq") else { return nil }
        let name = String(topic.dropFirst(prefix.count + 1))
        return name.isEmpty || name.contains(".") ? nil : name
    }
}
