import AlertCore

/// Who is calling, as established by a verified token: never by a header or a body.
public struct TenantIdentity: Sendable, Equatable {
    public var tenant: TenantID
    /// The token's `sub`.
    public var subject: String
    public var scopes: Set<String>

    public init(tenant: TenantID, subject: String, scopes: Set<String>) {
        self.tenant = tenant
        self.subject = subject
        self.scopes = scopes
    }
}

/// The scopes alertd's API checks.
public enum Scope {
    public static let alertsWrite = "alerts:write"
    public static let alertsRead = "alerts:read"
    public static let alertsAck = "alerts:ack"
    public static let silencesWrite = "silences:write"
    public static let tenantAdmin = "tenant:admin"
}
