import AlertCore

/// Who is calling, as established by a verified token: never by a header or a body.
public struct TenantIdentity: Sendable, Equatable {
    public var tenant: TenantID
    /// The token's `sub`.
    public var subject: String
    public var scopes: Set<Scope>

    public init(tenant: TenantID, subject: String, scopes: Set<Scope>) {
        self.tenant = tenant
        self.subject = subject
        self.scopes = scopes
    }
}

/// The scopes alertd's API checks, as tokens carry them in their `scope` claim. A token's other
/// scopes grant nothing and are not kept.
public enum Scope: String, CaseIterable, Comparable, Sendable {
    case alertsWrite = "alerts:write"
    case alertsRead = "alerts:read"
    case alertsAck = "alerts:ack"
    case silencesWrite = "silences:write"
    case tenantAdmin = "tenant:admin"

    public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Set<Scope> {
    /// The scopes as a `scope` claim writes them: names, sorted, separated by spaces.
    public var claim: String { sorted().map(\.rawValue).joined(separator: " ") }
}
