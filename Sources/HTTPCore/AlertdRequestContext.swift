import Hummingbird

/// The request context of every alertd route: the core storage plus the caller's identity,
/// which only the gateway's authenticator or the console's session sets.
public struct AlertdRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: TenantIdentity?
    /// The console session the request came with (console routes only).
    public var console: ConsoleSession?
    /// A console form's fields, once its CSRF token was checked.
    public var form: ConsoleForm?

    public init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
    }

    /// The caller, who must hold `scope`: 401 without an identity, 403 without the scope.
    public func require(anyOf scopes: Scope...) throws -> TenantIdentity {
        guard let identity else { throw Problem.unauthorized("a bearer token is required") }
        guard scopes.contains(where: identity.scopes.contains) else {
            throw Problem(
                status: .forbidden, title: "Missing scope",
                detail: "this operation needs the scope \(scopes.map(\.rawValue).joined(separator: " or ")); the token has \(identity.scopes.claim.nilIfEmpty ?? "none")")
        }
        return identity
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
