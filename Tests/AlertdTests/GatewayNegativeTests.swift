import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport

@testable import alertd

/// The gateway's refusals, end to end: every request below must get exactly its status, and
/// afterwards both tenants' stored state (alerts, acknowledgements, feedback, silences,
/// notifications) must be what it was before, so no refused request wrote anything.
@Suite struct GatewayNegativeTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var method: HTTPRequest.Method
        var path: String
        var authorization: String?
        var headers: [(String, String)] = []
        var body: String?
        var status: HTTPResponse.Status
        var description: String { name }
    }

    static let intruder = #"{"labels": {"alertname": "Intruder", "severity": "critical"}}"#

    /// What the stores hold, as the tenants' own admins see it.
    func state(_ client: any TestClientProtocol, acme: String, globex: String) async throws -> String {
        var parts: [String] = []
        for (token, path) in [
            (acme, "/v1/alerts?limit=500"), (acme, "/v1/silences"), (acme, "/v1/deliveries?status=pending"),
            (acme, "/v1/deliveries?status=dead"), (globex, "/v1/alerts?limit=500"), (globex, "/v1/silences"),
        ] {
            let response = try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(response.status == .ok, "\(path)")
            var text = String(buffer: response.body)
            // Retries of the seeded notification move its attempt count and next attempt; the
            // set of notifications is what matters.
            if path.hasPrefix("/v1/deliveries") {
                let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                text = "\((json?["deliveries"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int })"
            }
            parts.append(text)
        }
        for token in [acme, globex] {
            let usage = try await client.execute(uri: "/v1/tenant/usage", method: .get, headers: [.authorization: "Bearer \(token)"])
            let json = try JSONSerialization.jsonObject(with: Data(buffer: usage.body)) as? [String: Any]
            let store = json?["store"] as? [String: Any] ?? [:]
            parts.append("\(["firingAlerts", "resolvedAlerts", "activeSilences"].map { store[$0] as? Int ?? -1 })")
        }
        return parts.joined(separator: "\n")
    }

    @Test func everyRefusedRequestGetsItsStatusAndStoresNothing() async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let app = try await buildApplication(try deployment.settings(), logger: deployment.logger)
        try await app.test(.router) { client in
            let all = ["alerts:write", "alerts:read", "alerts:ack", "silences:write", "tenant:admin"]
            let acmeAdmin = try await deployment.token(tenant: deployment.acme, scopes: all)
            let globexAdmin = try await deployment.token(tenant: deployment.globex, scopes: all)
            let forge = try TokenForge(deployment: deployment, tenant: deployment.acme, issuer: "https://idp.acme.example")

            let seeded = try await client.execute(
                uri: "/v1/alerts", method: .post, headers: [.authorization: "Bearer \(acmeAdmin)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"labels": {"alertname": "Seeded", "severity": "critical"}}"#))
            #expect(seeded.status == .accepted)
            let fingerprint = try #require(
                ((try JSONSerialization.jsonObject(with: Data(buffer: seeded.body)) as? [String: Any])?["alerts"] as? [[String: Any]])?
                    .first?["fingerprint"] as? String)
            let notified = try await eventually(seconds: 20) {
                let response = try await client.execute(
                    uri: "/v1/alerts/\(fingerprint)", method: .get, headers: [.authorization: "Bearer \(acmeAdmin)"])
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                return (json?["deliveries"] as? [Any])?.isEmpty == false
            }
            #expect(notified, "the seeded alert's notification is in the outbox before the checks begin")
            let silenced = try await client.execute(
                uri: "/v1/silences", method: .post, headers: [.authorization: "Bearer \(acmeAdmin)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"matchers": ["alertname=\"Other\""], "endsAt": "2099-01-01T00:00:00Z", "comment": "kept"}"#))
            #expect(silenced.status == .created)
            let spaced = try await client.execute(uri: "/v1/alerts", method: .get, headers: [.authorization: "Bearer  \t \(acmeAdmin)"])
            #expect(spaced.status == .ok, "whitespace between Bearer and the token is not part of the token")
            let silence = try #require(
                (try JSONSerialization.jsonObject(with: Data(buffer: silenced.body)) as? [String: Any])?["id"] as? String)

            func bearer(_ token: String) -> String { "Bearer \(token)" }
            func scoped(_ scopes: String) throws -> String { bearer(try forge.token(claims: forge.claims(scopes: scopes))) }
            let valid = try forge.token()
            let parts = valid.split(separator: ".").map(String.init)
            let otherSignature = String(try forge.token(claims: forge.claims(["sub": "x"])).split(separator: ".")[2])
            let now = Int(Date().timeIntervalSince1970)
            let tamperedPayload = TokenForge.base64URL(
                try JSONSerialization.data(withJSONObject: forge.claims(scopes: all.joined(separator: " ")), options: .sortedKeys))
            let tamperedHeader = TokenForge.base64URL(
                try JSONSerialization.data(withJSONObject: ["alg": "ES384", "typ": "JWT", "kid": "dev-\(deployment.acme)"], options: .sortedKeys))

            var cases: [Case] = [
                Case(name: "no Authorization header", method: .post, path: "/v1/alerts", authorization: nil, body: Self.intruder, status: .unauthorized),
                Case(name: "Basic instead of Bearer", method: .post, path: "/v1/alerts", authorization: "Basic YWNtZTpwdw==", body: Self.intruder, status: .unauthorized),
                Case(name: "garbled token", method: .post, path: "/v1/alerts", authorization: "Bearer not-a-jwt", body: Self.intruder, status: .unauthorized),
                Case(name: "token with undecodable segments", method: .post, path: "/v1/alerts", authorization: "Bearer a.b.c", body: Self.intruder, status: .unauthorized),
                Case(name: "alg none", method: .post, path: "/v1/alerts",
                     authorization: bearer(try forge.token(header: ["alg": "none", "typ": "JWT", "kid": "dev-\(deployment.acme)"], signature: .none)),
                     body: Self.intruder, status: .unauthorized),
                Case(name: "HS256 signed with the tenant's public key", method: .post, path: "/v1/alerts",
                     authorization: bearer(try forge.token(header: ["alg": "HS256", "typ": "JWT", "kid": "dev-\(deployment.acme)"], signature: .hmac(forge.publicKeyPEM))),
                     body: Self.intruder, status: .unauthorized),
                Case(name: "HS256 without a kid", method: .post, path: "/v1/alerts",
                     authorization: bearer(try forge.token(header: ["alg": "HS256", "typ": "JWT"], signature: .hmac(forge.publicKeyPEM))),
                     body: Self.intruder, status: .unauthorized),
                Case(name: "expired", method: .post, path: "/v1/alerts",
                     authorization: bearer(try forge.token(claims: forge.claims(["exp": now - 600, "nbf": now - 900]))), body: Self.intruder, status: .unauthorized),
                Case(name: "not yet valid", method: .post, path: "/v1/alerts",
                     authorization: bearer(try forge.token(claims: forge.claims(["nbf": now + 600]))), body: Self.intruder, status: .unauthorized),
                Case(name: "wrong iss", method: .post, path: "/v1/alerts",
                     authorization: bearer(try forge.token(claims: forge.claims(["iss": "https://evil.example"]))), body: Self.intruder, status: .unauthorized),
                Case(name: "wrong aud", method: .post, path: "/v1/alerts",
                     authorization: bearer(try forge.token(claims: forge.claims(["aud": "someone-else"]))), body: Self.intruder, status: .unauthorized),
                Case(name: "tenant claim of another tenant", method: .post, path: "/v1/alerts",
                     authorization: bearer(try forge.token(claims: forge.claims(["tenant": deployment.globex]))), body: Self.intruder, status: .forbidden),
                Case(name: "no tenant claim", method: .post, path: "/v1/alerts",
                     authorization: bearer(try forge.token(claims: forge.claims(["tenant": NSNull()]))), body: Self.intruder, status: .unauthorized),
                Case(name: "unknown kid", method: .post, path: "/v1/alerts",
                     authorization: bearer(try forge.token(header: ["alg": "ES256", "typ": "JWT", "kid": "rotated-away"])), body: Self.intruder, status: .unauthorized),
                Case(name: "no kid", method: .post, path: "/v1/alerts",
                     authorization: bearer(try forge.token(header: ["alg": "ES256", "typ": "JWT"])), body: Self.intruder, status: .unauthorized),
                Case(name: "tampered payload (scopes widened)", method: .post, path: "/v1/alerts",
                     authorization: bearer("\(parts[0]).\(tamperedPayload).\(parts[2])"), body: Self.intruder, status: .unauthorized),
                Case(name: "tampered header (alg changed)", method: .post, path: "/v1/alerts",
                     authorization: bearer("\(tamperedHeader).\(parts[1]).\(parts[2])"), body: Self.intruder, status: .unauthorized),
                Case(name: "signature of another token", method: .post, path: "/v1/alerts",
                     authorization: bearer("\(parts[0]).\(parts[1]).\(otherSignature)"),
                     body: Self.intruder, status: .unauthorized),
                Case(name: "oversized token", method: .post, path: "/v1/alerts",
                     authorization: bearer(try forge.token(claims: forge.claims(["padding": String(repeating: "x", count: 9_000)]))), body: Self.intruder, status: .unauthorized),
                Case(name: "garbled token on the Prometheus endpoint", method: .post, path: "/api/v2/alerts", authorization: "Bearer x.y.z",
                     body: #"[{"labels": {"alertname": "Intruder"}}]"#, status: .unauthorized),
                Case(name: "expired token on reload", method: .post, path: "/-/reload",
                     authorization: bearer(try forge.token(claims: forge.claims(["exp": now - 600, "nbf": now - 900], scopes: "tenant:admin"))), status: .unauthorized),

                Case(name: "another tenant reads the alert", method: .get, path: "/v1/alerts/\(fingerprint)", authorization: bearer(globexAdmin), status: .notFound),
                Case(name: "another tenant acknowledges it", method: .post, path: "/v1/alerts/\(fingerprint)/ack", authorization: bearer(globexAdmin), body: "", status: .notFound),
                Case(name: "another tenant resolves it", method: .post, path: "/v1/alerts/\(fingerprint)/resolve", authorization: bearer(globexAdmin), body: "", status: .notFound),
                Case(name: "another tenant gives feedback", method: .post, path: "/v1/alerts/\(fingerprint)/feedback", authorization: bearer(globexAdmin),
                     body: #"{"kind": "noise"}"#, status: .notFound),
                Case(name: "another tenant reads the silence", method: .get, path: "/v1/silences/\(silence)", authorization: bearer(globexAdmin), status: .notFound),
                Case(name: "another tenant expires the silence", method: .delete, path: "/v1/silences/\(silence)", authorization: bearer(globexAdmin), status: .notFound),
                Case(name: "another tenant replays a notification", method: .post, path: "/v1/deliveries/1/replay", authorization: bearer(globexAdmin), body: "", status: .notFound),

                Case(name: "ingest without alerts:write", method: .post, path: "/v1/alerts", authorization: try scoped("alerts:read"), body: Self.intruder, status: .forbidden),
                Case(name: "Prometheus ingest without alerts:write", method: .post, path: "/api/v2/alerts", authorization: try scoped("alerts:read"),
                     body: #"[{"labels": {"alertname": "Intruder"}}]"#, status: .forbidden),
                Case(name: "Alertmanager ingest without alerts:write", method: .post, path: "/v1/ingest/alertmanager", authorization: try scoped("alerts:read"),
                     body: #"{"version": "4", "alerts": [{"status": "firing", "labels": {"alertname": "Intruder"}}]}"#, status: .forbidden),
                Case(name: "rate without a read or write scope", method: .post, path: "/v1/rate", authorization: try scoped("silences:write"), body: Self.intruder, status: .forbidden),
                Case(name: "list without alerts:read", method: .get, path: "/v1/alerts", authorization: try scoped("alerts:write"), status: .forbidden),
                Case(name: "show without alerts:read", method: .get, path: "/v1/alerts/\(fingerprint)", authorization: try scoped("alerts:write"), status: .forbidden),
                Case(name: "ack without alerts:ack", method: .post, path: "/v1/alerts/\(fingerprint)/ack", authorization: try scoped("alerts:read alerts:write"), body: "", status: .forbidden),
                Case(name: "resolve without alerts:ack", method: .post, path: "/v1/alerts/\(fingerprint)/resolve", authorization: try scoped("alerts:read alerts:write"), body: "", status: .forbidden),
                Case(name: "feedback without alerts:ack", method: .post, path: "/v1/alerts/\(fingerprint)/feedback", authorization: try scoped("alerts:read"),
                     body: #"{"kind": "noise"}"#, status: .forbidden),
                Case(name: "create a silence without silences:write", method: .post, path: "/v1/silences", authorization: try scoped("alerts:read alerts:ack"),
                     body: #"{"matchers": ["alertname=\"Seeded\""], "endsAt": "2099-01-01T00:00:00Z"}"#, status: .forbidden),
                Case(name: "expire a silence without silences:write", method: .delete, path: "/v1/silences/\(silence)", authorization: try scoped("alerts:read"), status: .forbidden),
                Case(name: "usage without tenant:admin", method: .get, path: "/v1/tenant/usage", authorization: try scoped("alerts:read"), status: .forbidden),
                Case(name: "deliveries without tenant:admin", method: .get, path: "/v1/deliveries", authorization: try scoped("alerts:read"), status: .forbidden),
                Case(name: "replay without tenant:admin", method: .post, path: "/v1/deliveries/1/replay", authorization: try scoped("alerts:read alerts:ack"), body: "", status: .forbidden),
                Case(name: "reload without tenant:admin", method: .post, path: "/-/reload", authorization: try scoped("alerts:write"), body: "", status: .forbidden),
                Case(name: "a token without scopes reads nothing", method: .get, path: "/v1/alerts", authorization: try scoped(""), status: .forbidden),
            ]
            cases.append(
                Case(name: "a tenant header cannot choose the tenant", method: .get, path: "/v1/alerts", authorization: bearer(globexAdmin),
                     headers: [("X-Tenant", deployment.acme), ("X-Scope-OrgID", deployment.acme)], status: .ok))
            #expect(cases.count >= 30)

            let before = try await state(client, acme: acmeAdmin, globex: globexAdmin)
            for check in cases {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let authorization = check.authorization { headers[.authorization] = authorization }
                for (name, value) in check.headers { headers[try #require(HTTPField.Name(name))] = value }
                let response = try await client.execute(
                    uri: check.path, method: check.method, headers: headers, body: check.body.map { ByteBuffer(string: $0) })
                #expect(response.status == check.status, "\(check.name): \(String(buffer: response.body))")
                if check.status != .ok {
                    #expect(response.headers[.contentType] == "application/problem+json", "\(check.name)")
                } else {
                    #expect(String(buffer: response.body).contains(#""alerts":[]"#), "\(check.name): only the caller's own (empty) data")
                }
                let after = try await state(client, acme: acmeAdmin, globex: globexAdmin)
                #expect(after == before, "\(check.name) changed stored state")
            }
        }
    }
}
