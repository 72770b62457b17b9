import AlertCore
@testable import alertd
import Delivery
import Foundation
import HTTPCore
import Hummingbird
import HummingbirdTesting
import RatingAPI
import Sinks
import Storage
import Testing


/// The web console through HTTP: sessions, CSRF, scopes and tenant isolation (on both stores),
/// and the operator actions (on SQLite: they are the API's, which run on both stores). The pages themselves are driven in a real browser by
/// scripts/check-console.py.
@Suite struct ConsoleTests {
    let api = AlertAPITests()

    func withApp(_ backend: StoreBackend, _ body: @Sendable (any TestClientProtocol, TestDeployment) async throws -> Void) async throws {
        let deployment = try TestDeployment(backend: backend)
        defer { deployment.remove() }
        let app = try await buildApplication(try deployment.settings(), logger: deployment.logger)
        try await app.test(.router) { client in try await body(client, deployment) }
    }

    static let alert = #"{"labels": {"alertname": "DiskFull", "service": "db", "severity": "critical"}, "source": "prom-eu1"}"#

    /// Posts the alert as `tenant` and returns its fingerprint.
    func post(_ client: any TestClientProtocol, _ deployment: TestDeployment, tenant: String = "acme", body: String = alert) async throws -> String {
        let response = try await api.post(client, "/v1/alerts", token: try await deployment.token(tenant, "alerts:write"), body: body)
        #expect(response.status == .accepted)
        let answer = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return try #require(((answer?["alerts"] as? [[String: Any]])?.first?["fingerprint"]) as? String)
    }

    func alertJSON(_ client: any TestClientProtocol, _ deployment: TestDeployment, _ fingerprint: String) async throws -> [String: Any] {
        let response = try await api.get(client, "/v1/alerts/\(fingerprint)", token: try await deployment.token("acme", "alerts:read"))
        #expect(response.status == .ok)
        return try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test func aSessionStartsFromATokenAndEndsOnSignOut() async throws {
        try await withApp(.sqlite) { client, deployment in
            let browser = ConsoleBrowser(client)
            let away = try await browser.get("/ui/alerts")
            #expect(away.status == .seeOther)
            #expect(away.headers[.location] == "/ui/sign-in")

            let token = try await deployment.token("acme", "alerts:read", "alerts:ack")
            let signedIn = try await browser.signIn(token: token)
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/ui/alerts")
            let session = try #require(ConsoleBrowser.setCookies(signedIn).first { $0.hasPrefix("alertd_session=") })
            #expect(session.contains("HttpOnly") && session.contains("SameSite=Strict") && session.contains("Path=/ui"))
            #expect(!session.contains(token))

            let page = try await browser.get("/ui/alerts")
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains(#"id="tenant-name">\#(deployment.acme)<"#))
            #expect(!html.contains(token))
            // Scopes decide what the page offers: no deliveries or tenant page without tenant:admin.
            #expect(!html.contains(#"id="nav-deliveries""#))
            #expect(try await browser.get("/ui/deliveries").status == .forbidden)

            let cookie = browser.cookieHeader
            #expect(try await browser.post("/ui/sign-out").status == .seeOther)
            #expect(browser.cookies["alertd_session"] == nil)
            let replayed = try await client.execute(uri: "/ui/alerts", method: .get, headers: [.cookie: cookie])
            #expect(replayed.status == .seeOther)
            #expect(replayed.headers[.location] == "/ui/sign-in")
        }
    }

    @Test func aBadTokenOrAForeignSignInFormIsRefused() async throws {
        try await withApp(.sqlite) { client, deployment in
            let browser = ConsoleBrowser(client)
            let refused = try await browser.signIn(token: "not-a-token")
            #expect(refused.status == .unauthorized)
            #expect(String(buffer: refused.body).contains(#"id="error""#))
            #expect(browser.cookies["alertd_session"] == nil)

            // A sign-in form posted from elsewhere lacks the browser's sign-in cookie.
            let token = try await deployment.token("acme", "alerts:read")
            let forged = try await client.execute(
                uri: "/ui/sign-in", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "csrf=guess&token=\(token)"))
            #expect(forged.status == .forbidden)
            #expect(ConsoleBrowser.setCookies(forged).allSatisfy { !$0.hasPrefix("alertd_session=") })
        }
    }

    @Test func aFormWithoutItsSessionsCSRFTokenChangesNothing() async throws {
        try await withApp(.sqlite) { client, deployment in
            let fingerprint = try await post(client, deployment)
            let browser = ConsoleBrowser(client)
            try await browser.signIn(token: try await deployment.token("acme", "alerts:read", "alerts:ack"))
            _ = try await browser.get("/ui/alerts/\(fingerprint)")

            #expect(try await browser.post("/ui/alerts/\(fingerprint)/ack", csrf: .some(nil)).status == .forbidden)
            #expect(try await browser.post("/ui/alerts/\(fingerprint)/ack", csrf: "forged").status == .forbidden)
            #expect(try await browser.post("/ui/alerts/\(fingerprint)/feedback", ["kind": "noise"], csrf: .some(nil)).status == .forbidden)
            var stored = try await alertJSON(client, deployment, fingerprint)
            #expect(stored["acknowledgedAt"] == nil)
            #expect(stored["feedback"] == nil)

            // Another browser's session cannot lend its token either.
            let other = ConsoleBrowser(client)
            try await other.signIn(token: try await deployment.token("acme", "alerts:read", "alerts:ack"))
            _ = try await other.get("/ui/alerts")
            #expect(try await browser.post("/ui/alerts/\(fingerprint)/ack", csrf: other.csrf).status == .forbidden)

            let acknowledged = try await browser.post("/ui/alerts/\(fingerprint)/ack")
            #expect(acknowledged.status == .seeOther)
            #expect(acknowledged.headers[.location] == "/ui/alerts/\(fingerprint)?done=acknowledged")
            stored = try await alertJSON(client, deployment, fingerprint)
            #expect(stored["acknowledgedBy"] as? String == "tester")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aSessionSeesAndTouchesOnlyItsOwnTenant(backend: StoreBackend) async throws {
        try await withApp(backend) { client, deployment in
            let fingerprint = try await post(client, deployment)
            let globex = ConsoleBrowser(client)
            try await globex.signIn(token: try await deployment.token("globex", "alerts:read", "alerts:ack", "silences:write", "tenant:admin"))
            let list = String(buffer: try await globex.get("/ui/alerts").body)
            #expect(list.contains("0 alerts"))
            #expect(!list.contains(fingerprint))
            #expect(try await globex.get("/ui/alerts/\(fingerprint)").status == .notFound)
            #expect(try await globex.post("/ui/alerts/\(fingerprint)/feedback", ["kind": "noise"]).status == .notFound)
            #expect(try await globex.post("/ui/alerts/\(fingerprint)/resolve").status == .notFound)
            // A bearer token of acme next to globex's cookie changes nothing: the session decides.
            let acmeToken = try await deployment.token("acme", "alerts:read")
            #expect(try await globex.get("/ui/alerts/\(fingerprint)", headers: [.authorization: "Bearer \(acmeToken)"]).status == .notFound)
            let stored = try await alertJSON(client, deployment, fingerprint)
            #expect(stored["feedback"] == nil)
            #expect(stored["status"] as? String == "firing")
        }
    }

    @Test func scopesDecideTheButtonsAndTheServerChecksThemAgain() async throws {
        try await withApp(.sqlite) { client, deployment in
            let fingerprint = try await post(client, deployment)
            let reader = ConsoleBrowser(client)
            try await reader.signIn(token: try await deployment.token("acme", "alerts:read"))
            let page = String(buffer: try await reader.get("/ui/alerts/\(fingerprint)").body)
            #expect(page.contains(#"id="factors""#))
            #expect(!page.contains(#"id="ack-form""#))
            #expect(!page.contains(#"id="silence-like-this""#))
            #expect(try await reader.post("/ui/alerts/\(fingerprint)/ack").status == .forbidden)
            #expect(try await reader.post("/ui/silences", ["matchers": #"alertname="DiskFull""#, "duration": "1h", "comment": "x"]).status == .forbidden)
            #expect(try await alertJSON(client, deployment, fingerprint)["acknowledgedAt"] == nil)
        }
    }

    @Test func feedbackAndSilencesFromTheConsoleChangeTheRatingAndTheMutes() async throws {
        try await withApp(.sqlite) { client, deployment in
            let fingerprint = try await post(client, deployment)
            let browser = ConsoleBrowser(client)
            try await browser.signIn(token: try await deployment.token("acme", "alerts:read", "alerts:ack", "silences:write"))
            let before = try Self.score(try await browser.get("/ui/alerts/\(fingerprint)"))
            let marked = try await browser.post("/ui/alerts/\(fingerprint)/feedback", ["kind": "noise"])
            #expect(marked.status == .seeOther)
            let after = try await browser.get("/ui/alerts/\(fingerprint)?done=noise")
            #expect(try Self.score(after) < before)
            #expect(String(buffer: after.body).contains(#"id="flash""#))

            let form = try await browser.get("/ui/silences/new?matchers=alertname%3D%22DiskFull%22&duration=2h&comment=planned+maintenance")
            #expect(String(buffer: form.body).contains("planned maintenance"))
            let preview = try await browser.post("/ui/silences/preview", ["matchers": #"alertname="DiskFull""#, "duration": "2h", "comment": "x"])
            #expect(String(buffer: preview.body).contains(#"data-fingerprint="\#(fingerprint)""#))
            let invalid = try await browser.post("/ui/silences", ["matchers": "alertname=~\"(\"", "duration": "2h", "comment": "x"])
            #expect(invalid.status == .unprocessableContent)
            let created = try await browser.post("/ui/silences", ["matchers": #"alertname="DiskFull""#, "duration": "2h", "comment": "maintenance"])
            #expect(created.status == .seeOther)
            let muted = String(buffer: try await browser.get("/ui/alerts?muted=silenced").body)
            #expect(muted.contains(#"data-fingerprint="\#(fingerprint)""#))
            #expect(String(buffer: try await browser.get("/ui/alerts/\(fingerprint)").body).contains("silenced by"))
        }
    }

    @Test func signInsFormsAndRefusalsAreAuditedWithoutTokens() async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let captured = CapturedLog()
        let (router, stores) = try await deployment.router(audit: AuditLog(logger: captured.logger), console: true)
        let token = try await deployment.token("acme", "alerts:read", "silences:write")
        try await Application(router: router).test(.router) { (client: any TestClientProtocol) async throws in
            let browser = ConsoleBrowser(client)
            #expect(try await browser.signIn(token: "x.y.z").status == .unauthorized)
            #expect(try await browser.signIn(token: token).status == .seeOther)
            _ = try await browser.get("/ui/silences/new")
            #expect(try await browser.post("/ui/silences", ["matchers": #"service="db""#, "duration": "1h", "comment": "deploy"]).status == .seeOther)
            #expect(try await browser.post("/ui/silences", ["matchers": #"service="db""#], csrf: .some(nil)).status == .forbidden)
            #expect(try await browser.post("/ui/sign-out").status == .seeOther)
        }
        await stores.close()
        let audit = captured.all.filter { $0.contains("audit=true") }
        #expect(audit.contains { $0.contains("action=console sign-in") && $0.contains("outcome=denied 401") })
        #expect(audit.contains { $0.contains("action=console sign-in") && $0.contains("outcome=allowed") && $0.contains("tenant=\(deployment.acme)") })
        #expect(audit.contains { $0.contains("action=POST /ui/silences") && $0.contains("outcome=allowed 303") && $0.contains("subject=tester") })
        #expect(audit.contains { $0.contains("action=POST /ui/silences") && $0.contains("outcome=denied 403") })
        #expect(audit.contains { $0.contains("action=console sign-out") })
        #expect(!captured.all.contains { $0.contains(token) || $0.contains(String(token.split(separator: ".").last ?? "")) })
    }

    /// The `#score` of an alert page.
    static func score(_ response: TestResponse) throws -> Double {
        let page = String(buffer: response.body)
        let range = try #require(page.range(of: #"id="score">[0-9.]+<"#, options: .regularExpression))
        return try #require(Double(page[range].dropFirst(#"id="score">"#.count).dropLast()))
    }
}
