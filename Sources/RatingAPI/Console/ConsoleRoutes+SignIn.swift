import AlertCore
import Foundation
import HTTPCore
import HTTPTypes
import Hummingbird

extension ConsoleRoutes {
    /// The cookie that ties the sign-in form to the browser that loaded it (CSRF before there
    /// is a session).
    static let signInCookie = "alertd_sign_in"

    @Sendable func signInPage(_ request: Request, context: AlertdRequestContext) async throws -> Response {
        if let id = request.cookies[ConsoleSessionMiddleware.cookie]?.value, sessions.session(id, at: alerts.now()) != nil {
            return Self.redirect(to: "/ui/alerts")
        }
        return try signInForm(request: request, context: context)
    }

    @Sendable func signInWithToken(_ request: Request, context: AlertdRequestContext) async throws -> Response {
        let form = try await signInFormFields(request)
        guard let token = form["token"]?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
            return try signInForm(request: request, context: context, error: "paste a bearer token of your tenant", status: .unprocessableContent)
        }
        let bearer = token.lowercased().hasPrefix("bearer ") ? String(token.dropFirst(7)).trimmingCharacters(in: .whitespaces) : token
        return try await startSession(bearer, request: request, context: context)
    }

    @Sendable func signInAsDevTenant(_ request: Request, context: AlertdRequestContext) async throws -> Response {
        let form = try await signInFormFields(request)
        guard let devToken = signIn.devToken else { throw Problem.notFound("development sign-in needs alertd serve --dev") }
        guard let tenant = form["tenant"].flatMap(TenantID.init), signIn.devTenants.contains(tenant) else {
            return try signInForm(request: request, context: context, error: "pick one of the demo tenants", status: .unprocessableContent)
        }
        return try await startSession(try await devToken(tenant), request: request, context: context)
    }

    @Sendable func signOut(_ request: Request, context: AlertdRequestContext) async throws -> Response {
        let session = try session(context)
        sessions.end(session.id)
        alerts.audit?.record(
            tenant: session.identity.tenant.rawValue, subject: session.identity.subject, action: "console sign-out", outcome: "allowed")
        var response = Self.redirect(to: "/ui/sign-in")
        response.headers.append(HTTPField(name: .setCookie, value: Self.cookie(ConsoleSessionMiddleware.cookie, "", request: request, maxAge: 0)))
        return response
    }

    // MARK: - Steps

    /// Checks the token and starts a session: the browser gets only the session's id.
    func startSession(_ token: String, request: Request, context: AlertdRequestContext) async throws -> Response {
        let identity: TenantIdentity
        do {
            identity = try await signIn.verify(token)
        } catch let problem as Problem {
            alerts.audit?.record(tenant: nil, subject: nil, action: "console sign-in", outcome: "denied \(problem.status.code): \(problem.detail)")
            return try signInForm(request: request, context: context, error: "the token was refused: \(problem.detail)", status: problem.status)
        }
        guard alerts.catalog[identity.tenant] != nil else {
            return try signInForm(request: request, context: context, error: "tenant \(identity.tenant) is not served here", status: .forbidden)
        }
        let session = sessions.start(identity, at: alerts.now())
        alerts.audit?.record(tenant: identity.tenant.rawValue, subject: identity.subject, action: "console sign-in", outcome: "allowed")
        var response = Self.redirect(to: "/ui/alerts")
        response.headers.append(
            HTTPField(name: .setCookie, value: Self.cookie(ConsoleSessionMiddleware.cookie, session.id, request: request, maxAge: Int(sessions.maxAge))))
        response.headers.append(HTTPField(name: .setCookie, value: Self.cookie(Self.signInCookie, "", request: request, maxAge: 0)))
        return response
    }

    /// The sign-in form's fields, once its CSRF token matched the browser's sign-in cookie.
    func signInFormFields(_ request: Request) async throws -> ConsoleForm {
        var request = request
        let form = try await ConsoleSessionMiddleware.form(&request)
        guard let expected = request.cookies[Self.signInCookie]?.value, let posted = form["csrf"], posted.constantTimeEquals(expected) else {
            throw Problem.forbidden("the sign-in form's CSRF token is missing or does not match this browser; reload the sign-in page")
        }
        return form
    }

    /// The sign-in page with a fresh form token, also set as the browser's sign-in cookie.
    func signInForm(
        request: Request, context: AlertdRequestContext, error: String? = nil, status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let token = ConsoleSession.randomToken()
        let page = ConsolePage(
            template: "sign-in", title: "Sign in", chrome: nil, csrf: nil, error: error,
            content: SignInContent(signInCSRF: token, devTenants: signIn.devTenants.map(\.rawValue)), status: status, renderer: renderer)
        var response = try page.response(from: request, context: context)
        response.headers.append(HTTPField(name: .setCookie, value: Self.cookie(Self.signInCookie, token, request: request, maxAge: 900)))
        return response
    }

    /// A `Set-Cookie` value: HttpOnly, SameSite=Strict, for `/ui` only; Secure when the
    /// request came over HTTPS (directly or through a proxy that says so).
    static func cookie(_ name: String, _ value: String, request: Request, maxAge: Int) -> String {
        let secure = request.uri.scheme?.rawValue == "https" || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
        return "\(name)=\(value); Path=/ui; Max-Age=\(maxAge); HttpOnly; SameSite=Strict\(secure ? "; Secure" : "")"
    }
}

struct SignInContent {
    var signInCSRF: String
    var devTenants: [String]
    var hasDevTenants: Bool

    init(signInCSRF: String, devTenants: [String]) {
        self.signInCSRF = signInCSRF
        self.devTenants = devTenants
        hasDevTenants = !devTenants.isEmpty
    }
}
