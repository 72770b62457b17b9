import AlertCore

/// Topic names: a tenant's alerts go to `alerts.<tenant>`, records the router refuses to
/// `alerts.<tenant>.dlq`.
public enum TenantTopics {
    /// The router's subscription: every tenant's alert topic, no dead-letter topic.
    public static let subscription = #"^alerts\.[a-z][a-z0-9-]*$"#

    public static func alerts(_ tenant: TenantID) -> String { "alerts.\(tenant.rawValue)" }

    public static func deadLetters(_ tenant: String) -> String { "alerts.\(tenant).dlq" }

    /// The tenant part of an alert topic's name, whether or not such a tenant is loaded.
    public static func tenantName(of topic: String) -> String? {
        guard topic.hasPrefix("alerts."), !topic.hasSuffix(".dlq") else { return nil }
        let name = String(topic.dropFirst("alerts.".count))
        return name.isEmpty ? nil : name
    }
}
