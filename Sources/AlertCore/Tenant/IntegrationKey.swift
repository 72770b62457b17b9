import Foundation

/// A PagerDuty Events API v2 routing key that sends a tenant's alerts to `POST /v2/enqueue`
/// (`auth.integrationKeys` in tenant.yaml). Only the key's SHA-256 is configured, never the
/// key: whoever holds the key may ingest, trigger, acknowledge and resolve as the tenant.
public struct IntegrationKey: Sendable, Equatable {
    /// Names the producer holding the key, e.g. `datadog`; events from it are rated as coming
    /// from source `pagerduty/<name>`.
    public var name: String
    /// The SHA-256 of the key, as 64 lowercase hexadecimal digits.
    public var sha256: String

    public init(name: String, sha256: String) {
        self.name = name
        self.sha256 = sha256
    }

    static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
