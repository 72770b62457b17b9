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

    /// Whether the session holds `scope`.
    public func has(_ scope: String) -> Bool { identity.scopes.contains(scope) }
}

extension ConsoleSession {
    /// 256 random bits as unpadded base64url.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
