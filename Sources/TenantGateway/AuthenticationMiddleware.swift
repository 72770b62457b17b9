import Foundation
import Hummingbird
import RatingAPI

/// Sets the request's identity from its bearer token. A request without a token passes on
/// without an identity (routes that need one answer 401); a bad token is answered 401 here.
///
/// Audits every request answered 401 or 403, and every state-changing operator action (any
/// method but GET, except ingest and rating).
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = AlertdRequestContext
    let verifier: any IdentityVerifier
    let audit: AuditLog?

    public init(verifier: any IdentityVerifier, audit: AuditLog? = nil) {
        self.verifier = verifier
        self.audit = audit
    }

    public func handle(
        _ request: Request, context: AlertdRequestContext, next: (Request, AlertdRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        do {
            if let header = request.headers[.authorization] {
                guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
                    throw Problem.unauthorized("the Authorization header must be \"Bearer <token>\"")
                }
                let identity = try await verifier.verify(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces), now: Date())
                context.identity = identity
                context.logger[metadataKey: "tenant"] = .string(identity.tenant.rawValue)
            }
            let response = try await next(request, context)
            if Self.isOperatorAction(request) {
                record(request, context.identity, outcome: "allowed \(response.status.code)")
            }
            return response
        } catch let problem as Problem where problem.status == .unauthorized || problem.status == .forbidden {
            record(request, context.identity, outcome: "denied \(problem.status.code): \(problem.detail)")
            throw problem
        }
    }

    static func isOperatorAction(_ request: Request) -> Bool {
        guard request.method != .get, request.method != .head else { return false }
        return !["/v1/alerts", "/v1/rate", "/api/v2/alerts", "/v1/ingest/alertmanager"].contains(request.uri.path)
    }

    private func record(_ request: Request, _ identity: TenantIdentity?, outcome: String) {
        audit?.record(
            tenant: identity?.tenant.rawValue, subject: identity?.subject, action: "\(request.method) \(request.uri.path)", outcome: outcome)
    }
}
