import AlertCore
@testable import alertd
import Authentication
import Foundation
import HTTPCore
import Hummingbird
import HummingbirdTesting
import NIOCore
import RatingAPI
import Testing


/// `alertd gateway` in front of `alertd rating`: tenants' tokens work only at the gateway,
/// rating takes nothing but the gateway's internal tokens, and the gateway's refusals never
/// reach rating.
@Suite struct SplitDeploymentTests {
    static let alert = #"{"labels": {"alertname": "ThroughTheGateway", "severity": "critical"}}"#

    func execute(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String?, body: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    func count(_ client: some TestClientProtocol, token: String) async throws -> Int? {
        let response = try await execute(client, .get, "/v1/alerts", token: token)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return (json?["alerts"] as? [Any])?.count
    }

    /// `alertd rating` (live, reachable as `direct`) behind `alertd gateway` (reached as
    /// `client`), sharing a new internal key.
    func withSplitDeployment(
        _ body: @Sendable (_ client: any TestClientProtocol, _ direct: any TestClientProtocol, TestDeployment, InternalTokenKey) async throws -> Void
    ) async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let keyFile = "\(deployment.root)/internal.key"
        try Data((0..<48).map { _ in UInt8.random(in: 33...126) }).write(to: URL(fileURLWithPath: keyFile))
        let key = try InternalTokenKey(contentsOf: keyFile)
        var ratingSettings = try deployment.settings()
        ratingSettings.internalKeyFile = keyFile
        let rating = try await buildApplication(ratingSettings, logger: deployment.logger)
        try await rating.test(.live) { direct in
            let upstream = "http://127.0.0.1:\(try #require(direct.port))"
            let gateway = try await buildGatewayApplication(try deployment.settings(), upstream: upstream, key: key, logger: deployment.logger)
            try await gateway.test(.router) { client in try await body(client, direct, deployment, key) }
        }
    }

    @Test func theGatewayForwardsWithAnInternalTokenAndRatingAcceptsNothingElse() async throws {
        try await withSplitDeployment { client, direct, deployment, key in
            let writer = try await deployment.token("acme", "alerts:write", "alerts:read")
            let reader = try await deployment.token("acme", "alerts:read")
            #expect(try await execute(client, .get, "/readyz", token: nil).status == .ok)

            let posted = try await execute(client, .post, "/v1/alerts", token: writer, body: Self.alert)
            #expect(posted.status == .accepted, "\(String(buffer: posted.body))")
            #expect(try await count(client, token: writer) == 1)
            let refused = try await execute(client, .post, "/v1/alerts", token: reader, body: Self.alert)
            #expect(refused.status == .forbidden, "rating's own scope check answers through the gateway")
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(try await execute(client, .post, "/v1/alerts", token: nil, body: Self.alert).status == .unauthorized)
            #expect(try await execute(client, .post, "/v1/alerts", token: "x.y.z", body: Self.alert).status == .unauthorized)

            let acme = try #require(TenantID(deployment.acme))
            let identity = TenantIdentity(tenant: acme, subject: "intruder", scopes: [.alertsWrite, .alertsRead])
            let otherKey = try InternalTokenKey(secret: Data(repeating: 7, count: 32))
            for (name, token) in [
                ("a tenant token", writer),
                ("an internal token signed with another key", otherKey.token(for: identity)),
                ("an expired internal token", key.token(for: identity, now: Date().addingTimeInterval(-120))),
                ("no token", ""),
            ] {
                let response = try await execute(direct, .post, "/v1/alerts", token: token.isEmpty ? nil : token, body: Self.alert)
                #expect(response.status == .unauthorized, "rating refuses \(name)")
        }
        let routingKey = TestDeployment.integrationKeys["acme"]!.key
        let pagerDuty = #"{"routing_key": "\#(routingKey)", "event_action": "trigger", "dedup_key": "gw", "payload": {"summary": "Through the gateway", "source": "db-1", "severity": "error"}}"#
        #expect(try await execute(client, .post, "/v2/enqueue", token: nil, body: pagerDuty).status == .accepted, "the gateway resolves routing keys")
        #expect(try await execute(direct, .post, "/v2/enqueue", token: nil, body: pagerDuty).status == .unauthorized, "rating does not")
        #expect(try await count(client, token: writer) == 2, "nothing the gateway or rating refused was stored")
        #expect(try await execute(direct, .get, "/v1/alerts", token: key.token(for: identity)).status == .ok)
        }
    }

    @Test func theConsoleWorksThroughTheGateway() async throws {
        try await withSplitDeployment { client, _, deployment, _ in
            let writer = try await deployment.token("acme", "alerts:write")
            #expect(try await execute(client, .post, "/v1/alerts", token: writer, body: Self.alert).status == .accepted)
            let browser = ConsoleBrowser(client)
            let signedIn = try await browser.signIn(token: try await deployment.token("acme", "alerts:read", "alerts:ack"))
            #expect(signedIn.status == .seeOther)
            #expect(browser.cookies["alertd_session"] != nil)
            let page = String(buffer: try await browser.get("/ui/alerts").body)
            #expect(page.contains("ThroughTheGateway"))
            #expect(try await browser.post("/ui/sign-out").status == .seeOther)
            #expect(try await browser.get("/ui/alerts").headers[.location] == "/ui/sign-in")
        }
    }
}
