import Foundation

/// A signed-in browser: who it acts for, held on the server. The browser holds only `id`, in
/// an HttpOnly cookie; the raw token it signed in with is never kept.
public struct ConsoleSession: Sendable, Equatable {
    /// The cookie's value: 256 random bits.
    public var id: String
    /// The value every form of this session must post back as `csrf`.
    public var csrf: String
    public var identity: TenantIdentity
    public var createdAt: Date
    public var lastUsedAt: Date

    public init(id: String, csrf: String, identity: TenantIdentity, createdAt: Date, lastUsedAt: Date) {
        self.id = id
        self.csrf = csrf
        self.identity = identity
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
    }

    /// Whether the session holds `scope`.
    public func has(_ scope: Scope) -> Bool { identity.scopes.contains(scope) }
}
