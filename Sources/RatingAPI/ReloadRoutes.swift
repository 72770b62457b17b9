import HTTPCore
import Hummingbird

/// `POST /-/reload`: re-reads the tenants directory now. Needs the scope `tenant:admin` of
/// any tenant: a reload only re-reads files the operator controls. The answer never names
/// other tenants or their problems; the alertd log has the details.
public struct ReloadRoutes: Sendable {
    /// Reloads the tenants; false when the directory is invalid and the last good tenants stay.
    let reload: @Sendable () async -> Bool

    public init(reload: @escaping @Sendable () async -> Bool) {
        self.reload = reload
    }

    public func register(on group: RouterGroup<AlertdRequestContext>) {
        group.post("reload", use: handle)
    }

    @Sendable func handle(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.tenantAdmin)
        context.logger.notice("reload requested", metadata: ["tenant": "\(identity.tenant)", "subject": "\(identity.subject)"])
        guard await reload() else {
            throw Problem(
                status: .unprocessableContent, title: "Tenant configuration rejected",
                detail: "the tenants directory is invalid; the last good configuration keeps serving (the alertd log names every problem)")
        }
        return JSONBody(value: ["status": "reloaded"])
    }
}
