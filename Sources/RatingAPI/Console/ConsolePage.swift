import Foundation
import HTTPCore
import HTTPTypes
import Hummingbird
import Mustache

/// One page of the console: the frame every page shares (title, who is signed in, the CSRF
/// token its forms post back, a message) around the page's own `content`.
struct ConsolePage<Content>: ResponseGenerator, @unchecked Sendable {
    var template: String
    var title: String
    var chrome: ConsoleChrome?
    /// The session's CSRF token, for the forms of the page (`{{> csrf}}`).
    var csrf: String?
    var flash: String?
    var error: String?
    var content: Content
    var status: HTTPResponse.Status = .ok
    let renderer: ConsoleRenderer

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: status, headers: ConsoleRenderer.htmlHeaders,
            body: .init(byteBuffer: ByteBuffer(string: renderer.render(self, template: template))))
    }
}

/// What the page frame shows of the session: the tenant, the subject and the sections the
/// session's scopes open.
struct ConsoleChrome {
    var tenant: String
    var subject: String
    var scopes: String
    var canAdmin: Bool
    var navAlerts = false
    var navSilences = false
    var navDeliveries = false
    var navRating = false
    var navTenant = false

    init(_ session: ConsoleSession, section: ConsoleSection) {
        tenant = session.identity.tenant.rawValue
        subject = session.identity.subject
        scopes = session.identity.scopes.claim
        canAdmin = session.has(Scope.tenantAdmin)
        switch section {
        case .alerts: navAlerts = true
        case .silences: navSilences = true
        case .deliveries: navDeliveries = true
        case .rating: navRating = true
        case .tenant: navTenant = true
        }
    }
}

/// The console's sections, one per navigation link.
enum ConsoleSection {
    case alerts, silences, deliveries, rating, tenant
}

/// Renders the console's templates, which are compiled into the binary (`ConsoleTemplates`).
struct ConsoleRenderer: Sendable {
    let library: MustacheLibrary

    static let htmlHeaders: HTTPFields = [
        .contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
        HTTPField.Name("Content-Security-Policy")!: "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
        HTTPField.Name("X-Content-Type-Options")!: "nosniff", HTTPField.Name("Referrer-Policy")!: "same-origin",
    ]

    init() {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in ConsoleTemplates.all {
            do {
                templates[name] = try MustacheTemplate(string: text)
            } catch {
                preconditionFailure("console template \(name) does not parse: \(error)")
            }
        }
        library = MustacheLibrary(templates: templates)
    }

    func render(_ object: Any, template: String) -> String {
        guard let text = library.render(object, withTemplate: template) else { preconditionFailure("no console template \(template)") }
        return text
    }
}
