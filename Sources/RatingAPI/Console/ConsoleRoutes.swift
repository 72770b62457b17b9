import AlertCore
import Foundation
import HTTPCore
import HTTPTypes
import Hummingbird

/// The web console under `/ui/`: pages rendered on the server for one tenant's session, over
/// the same operations as the API (`AlertRoutes`). Every page and form works on the tenant of
/// the session only, and checks the session's scopes itself.
public struct ConsoleRoutes: Sendable {
    let alerts: AlertRoutes
    let sessions: ConsoleSessions
    let signIn: ConsoleSignIn
    /// How often a live alert list looks for changes.
    let liveInterval: Duration
    let renderer = ConsoleRenderer()
    let listings = ConsoleListingCache()

    public init(alerts: AlertRoutes, sessions: ConsoleSessions, signIn: ConsoleSignIn, liveInterval: Duration = .seconds(2)) {
        self.alerts = alerts
        self.sessions = sessions
        self.signIn = signIn
        self.liveInterval = liveInterval
    }

    public func register(on router: Router<AlertdRequestContext>) {
        let ui = router.group("ui").add(middleware: ConsoleErrorMiddleware(console: self))
            .add(middleware: ConsoleSessionMiddleware(sessions: sessions, audit: alerts.audit, now: alerts.now))
        ui.get("assets/console.css") { _, _ in Self.asset(ConsoleAssets.stylesheet, type: "text/css; charset=utf-8") }
        ui.get("assets/console.js") { _, _ in Self.asset(ConsoleAssets.script, type: "text/javascript; charset=utf-8") }
        ui.get("sign-in", use: signInPage)
        ui.post("sign-in", use: signInWithToken)
        ui.post("sign-in/dev", use: signInAsDevTenant)
        ui.post("sign-out", use: signOut)
        ui.get("") { _, _ in Self.redirect(to: "/ui/alerts") }
        ui.get("alerts", use: alertsPage)
        ui.get("alerts/events", use: alertEvents)
        ui.get("alerts/:fingerprint", use: alertPage)
        ui.post("alerts/:fingerprint/ack", use: acknowledgeAlert)
        ui.post("alerts/:fingerprint/resolve", use: resolveAlert)
        ui.post("alerts/:fingerprint/feedback", use: giveFeedback)
        ui.get("silences", use: silencesPage)
        ui.get("silences/new", use: newSilencePage)
        ui.post("silences", use: createSilence)
        ui.post("silences/preview", use: previewSilence)
        ui.post("silences/:id/expire", use: expireSilence)
        ui.get("deliveries", use: deliveriesPage)
        ui.post("deliveries/:id/replay", use: replayDelivery)
        ui.get("rating", use: ratingPage)
        ui.get("tenant", use: tenantPage)
    }

    // MARK: - Shared steps

    static func redirect(to location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A page of the signed-in session.
    func page<Content>(
        _ template: String, title: String, section: ConsoleSection, context: AlertdRequestContext, content: Content,
        flash: String? = nil, error: String? = nil, status: HTTPResponse.Status = .ok
    ) throws -> ConsolePage<Content> {
        let session = try session(context)
        return ConsolePage(
            template: template, title: title, chrome: ConsoleChrome(session, section: section), csrf: session.csrf, flash: flash,
            error: error, content: content, status: status, renderer: renderer)
    }

    func session(_ context: AlertdRequestContext) throws -> ConsoleSession {
        guard let session = context.console else { throw Problem.unauthorized("sign in first") }
        return session
    }

    func form(_ context: AlertdRequestContext) -> ConsoleForm {
        context.form ?? ConsoleForm("")
    }

    /// The page of a failed console request.
    func errorPage(_ problem: Problem, request: Request, context: AlertdRequestContext) -> ConsolePage<ConsoleErrorLink> {
        let session = request.cookies[ConsoleSessionMiddleware.cookie].flatMap { sessions.session($0.value, at: alerts.now()) }
        let back = session == nil ? ConsoleErrorLink(back: "/ui/sign-in", backText: "Sign in") : ConsoleErrorLink(back: "/ui/alerts", backText: "Back to the alerts")
        return ConsolePage(
            template: "error", title: problem.title, chrome: session.map { ConsoleChrome($0, section: .alerts) }, csrf: session?.csrf,
            error: problem.detail, content: back, status: problem.status, renderer: renderer)
    }
}

struct ConsoleErrorLink {
    var back: String
    var backText: String
}

/// How the console signs a browser in: by checking a pasted tenant token, or with `--dev`, by
/// minting a development token for a demo tenant.
public struct ConsoleSignIn: Sendable {
    /// The identity a tenant's token proves; throws a 401 problem when it proves none.
    public var verify: @Sendable (String) async throws -> TenantIdentity
    /// With `--dev`: the tenants to offer and a token with every scope for one of them.
    public var devTenants: [TenantID]
    public var devToken: (@Sendable (TenantID) async throws -> String)?

    public init(
        verify: @escaping @Sendable (String) async throws -> TenantIdentity, devTenants: [TenantID] = [],
        devToken: (@Sendable (TenantID) async throws -> String)? = nil
    ) {
        self.verify = verify
        self.devTenants = devTenants
        self.devToken = devToken
    }
}
