import Foundation
import HTTPCore
import Hummingbird
import NIOCore

/// Sets a console request's identity from its session cookie, and nothing else: no header,
/// body or URL can choose the tenant. Without a live session a page answers 303 to the
/// sign-in page and a form is refused. Every form must post back its session's CSRF token;
/// the body is read here (up to 64 KiB) and stays readable for the route. Every form is
/// audited with its outcome, as the API's operator actions are.
struct ConsoleSessionMiddleware: RouterMiddleware {
    typealias Context = AlertdRequestContext
    let sessions: ConsoleSessions
    let audit: AuditLog?
    let now: @Sendable () -> Date

    static let cookie = "alertd_session"
    static let maxFormBytes = 64 * 1_024
    /// Paths served without a session.
    static let open: Set<String> = ["/ui/sign-in", "/ui/sign-in/dev", "/ui/assets/console.css", "/ui/assets/console.js"]

    func handle(
        _ request: Request, context: AlertdRequestContext, next: (Request, AlertdRequestContext) async throws -> Response
    ) async throws -> Response {
        if Self.open.contains(request.uri.path) { return try await next(request, context) }
        guard let id = request.cookies[Self.cookie]?.value, let session = sessions.session(id, at: now()) else {
            if request.method == .get || request.method == .head { return ConsoleRoutes.redirect(to: "/ui/sign-in") }
            throw Problem.unauthorized("sign in first: this console session has ended")
        }
        var context = context
        context.identity = session.identity
        context.console = session
        context.logger[metadataKey: "tenant"] = .string(session.identity.tenant.rawValue)
        guard request.method != .get, request.method != .head else { return try await next(request, context) }
        let action = "\(request.method) \(request.uri.path)"
        do {
            var request = request
            let form = try await Self.form(&request)
            guard let token = form["csrf"], token.constantTimeEquals(session.csrf) else {
                throw Problem.forbidden("the form's CSRF token is missing or does not match this session; reload the page and try again")
            }
            context.form = form
            let response = try await next(request, context)
            record(session, action, outcome: "allowed \(response.status.code)")
            return response
        } catch let problem as Problem {
            record(session, action, outcome: "\(problem.status.code < 500 ? "denied" : "failed") \(problem.status.code): \(problem.detail)")
            throw problem
        }
    }

    private func record(_ session: ConsoleSession, _ action: String, outcome: String) {
        audit?.record(tenant: session.identity.tenant.rawValue, subject: session.identity.subject, action: action, outcome: outcome)
    }

    /// The request's form body, which stays readable.
    static func form(_ request: inout Request) async throws -> ConsoleForm {
        do {
            return ConsoleForm(String(buffer: try await request.collectBody(upTo: maxFormBytes)))
        } catch is NIOTooManyBytesError {
            throw Problem(status: .contentTooLarge, title: "Body too large", detail: "a console form may have at most 64 KiB")
        }
    }
}

/// Answers a console request's errors as an HTML page with the same status (problem+json for
/// a client that accepts only JSON).
struct ConsoleErrorMiddleware: RouterMiddleware {
    typealias Context = AlertdRequestContext
    let console: ConsoleRoutes

    func handle(
        _ request: Request, context: AlertdRequestContext, next: (Request, AlertdRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            let accept = request.headers[.accept] ?? ""
            if accept.contains("json"), !accept.contains("html") { throw problem }
            return try console.errorPage(problem, request: request, context: context).response(from: request, context: context)
        }
    }
}
