import AlertCore
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@testable import alertd

@Suite(.serialized) struct EndToEndTests {
    static let alert = #"{"labels": {"alertname": "HighLatency", "service": "checkout", "severity": "critical"}}"#

    func postAlert(_ client: some TestClientProtocol, token: String, body: String = alert) async throws -> String {
        let response = try await client.execute(
            uri: "/v1/alerts", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: ByteBuffer(string: body))
        #expect(response.status == .accepted)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        return try #require(((json["alerts"] as? [[String: Any]])?.first?["fingerprint"]) as? String)
    }

    /// The deliveries of one alert, as the API shows them.
    func deliveries(_ client: some TestClientProtocol, token: String, fingerprint: String) async throws -> [[String: Any]] {
        let response = try await client.execute(uri: "/v1/alerts/\(fingerprint)", method: .get, headers: [.authorization: "Bearer \(token)"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        return json["deliveries"] as? [[String: Any]] ?? []
    }

    /// Polls until `condition` holds, for at most `seconds`.
    func eventually(seconds: Double = 20, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    /// Runs `body` against a live `alertd serve` of a fresh deployment whose webhooks go to
    /// `receiver`, with a token for tenant acme holding `scopes`.
    func withLiveApp(
        _ receiver: ScriptedReceiver, scopes: String..., body: @Sendable (any TestClientProtocol, String) async throws -> Void
    ) async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        try await receiver.serve { port in
            let app = try await buildApplication(try deployment.settings(hookPort: port), logger: deployment.logger)
            try await app.test(.live) { client in
                try await body(client, try await deployment.token(tenant: deployment.acme, scopes: scopes))
            }
        }
    }

    func verifySignature(_ request: ScriptedReceiver.Received) -> Bool {
        let mac = HMAC<SHA256>.authenticationCode(for: request.body, using: SymmetricKey(data: Data("s3cret".utf8)))
        return request.headers["x-alertd-signature"] == "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    @Test func aSignedAlertIsRatedStoredAndDeliveredWithAValidSignature() async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let receiver = ScriptedReceiver(script: [(429, "0")])
        try await receiver.serve { port in
            let app = try await buildApplication(try deployment.settings(hookPort: port), logger: deployment.logger)
            try await app.test(.live) { client in
                let token = try await deployment.token("acme", "alerts:write", "alerts:read")
                let fingerprint = try await postAlert(client, token: token)
                let delivered = try await eventually {
                    try await deliveries(client, token: token, fingerprint: fingerprint).first?["state"] as? String == "delivered"
                }
                #expect(delivered)
                let attempts = try #require(try await deliveries(client, token: token, fingerprint: fingerprint).first?["attempts"] as? [[String: Any]])
                #expect(attempts.map { $0["httpStatus"] as? Int } == [429, 200])
                #expect(attempts.map { $0["outcome"] as? String } == ["retry", "delivered"])
            }
        }
        let received = await receiver.received
        #expect(received.count == 2)
        let last = try #require(received.last)
        #expect(verifySignature(last))
        #expect(last.headers["x-alertd-tenant"] == deployment.acme)
        let body = try #require(try JSONSerialization.jsonObject(with: last.body) as? [String: Any])
        let rating = ((body["alerts"] as? [[String: Any]])?.first)?["rating"] as? [String: Any]
        #expect(rating?["score"] as? Double == 0.75)
        #expect(rating?["priority"] as? String == "P1")
        #expect(body["status"] as? String == "firing")
        #expect(body["receiver"] as? String == "hook")
    }

    @Test(arguments: StoreBackend.allCases)
    func anUndeliveredNotificationIsDeliveredOnceAfterARestart(backend: StoreBackend) async throws {
        let deployment = try TestDeployment(backend: backend)
        defer { deployment.remove() }
        let port = try await ScriptedReceiver().serve { port in port }

        let fingerprint = try await buildApplication(try deployment.settings(hookPort: port), logger: deployment.logger).test(.router) { client in
            let token = try await deployment.token("acme", "alerts:write", "alerts:read")
            let fingerprint = try await postAlert(client, token: token)
            let failed = try await eventually {
                let attempts = try await deliveries(client, token: token, fingerprint: fingerprint).first?["attempts"] as? [Any]
                return (attempts?.count ?? 0) >= 1
            }
            #expect(failed, "the receiver is down, so the first attempt fails")
            return fingerprint
        }

        let receiver = ScriptedReceiver()
        try await receiver.serve(port: port) { port in
            let app = try await buildApplication(try deployment.settings(hookPort: port), logger: deployment.logger)
            try await app.test(.router) { client in
                let token = try await deployment.token("acme", "alerts:read")
                let delivered = try await eventually {
                    try await deliveries(client, token: token, fingerprint: fingerprint).first?["state"] as? String == "delivered"
                }
                #expect(delivered)
                try await Task.sleep(for: .milliseconds(300))
            }
        }
        let received = await receiver.received
        #expect(received.count == 1)
        #expect(received.allSatisfy(verifySignature))
    }

    @Test func resolvingNotifiesReceiversThatWantIt() async throws {
        let receiver = ScriptedReceiver()
        try await withLiveApp(receiver, scopes: "alerts:write", "alerts:read", "alerts:ack") { client, token in
            let loud = try await postAlert(client, token: token)
            let quiet = try await postAlert(client, token: token, body: #"{"labels": {"alertname": "Disk", "severity": "info"}}"#)
            let told = try await eventually {
                for fingerprint in [loud, quiet] where try await deliveries(client, token: token, fingerprint: fingerprint).first?["state"] as? String != "delivered" {
                    return false
                }
                return true
            }
            #expect(told, "both receivers heard of the firing alerts")
            for fingerprint in [loud, quiet] {
                let response = try await client.execute(
                    uri: "/v1/alerts/\(fingerprint)/resolve", method: .post, headers: [.authorization: "Bearer \(token)"])
                #expect(response.status == .ok)
            }
            let done = try await eventually {
                let states = try await deliveries(client, token: token, fingerprint: loud).compactMap { $0["state"] as? String }
                return states == ["delivered", "delivered"]
            }
            #expect(done)
            #expect(try await deliveries(client, token: token, fingerprint: quiet).count == 1, "quiet does not send resolved")
        }
        let statuses = await receiver.received.compactMap { request in
            (try? JSONSerialization.jsonObject(with: request.body) as? [String: Any])?["status"] as? String
        }
        #expect(statuses.sorted() == ["firing", "firing", "resolved"])
    }

    @Test func aSilencedAlertIsStoredButNotNotified() async throws {
        let receiver = ScriptedReceiver()
        try await withLiveApp(receiver, scopes: "alerts:write", "alerts:read", "silences:write") { client, token in
            let silence = #"{"matchers": ["service=\"checkout\""], "endsAt": "2999-01-01T00:00:00Z", "comment": "maintenance"}"#
            let created = try await client.execute(
                uri: "/v1/silences", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: silence))
            #expect(created.status == .created)
            let muted = try await postAlert(client, token: token)
            let heard = try await postAlert(
                client, token: token, body: #"{"labels": {"alertname": "HighLatency", "service": "search", "severity": "critical"}}"#)
            let delivered = try await eventually {
                try await deliveries(client, token: token, fingerprint: heard).first?["state"] as? String == "delivered"
            }
            #expect(delivered)
            let stored = try await client.execute(uri: "/v1/alerts/\(muted)", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(stored.status == .ok, "a silenced alert is stored and visible")
            #expect(try await deliveries(client, token: token, fingerprint: muted).isEmpty)
        }
        let services = await receiver.received.compactMap { request in
            let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any]
            return (((body?["alerts"] as? [[String: Any]])?.first)?["labels"] as? [String: String])?["service"]
        }
        #expect(services == ["search"])
    }

    @Test func aDeadNotificationIsListedAndReplayedUntilDelivered() async throws {
        let receiver = ScriptedReceiver(script: [(400, nil)])
        try await withLiveApp(receiver, scopes: "alerts:write", "tenant:admin") { client, token in
            _ = try await postAlert(client, token: token)
            let headers: HTTPFields = [.authorization: "Bearer \(token)"]
            func list(_ status: String) async throws -> [[String: Any]] {
                let response = try await client.execute(uri: "/v1/deliveries?status=\(status)", method: .get, headers: headers)
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                return json?["deliveries"] as? [[String: Any]] ?? []
            }
            #expect(try await eventually { try await list("dead").count == 1 }, "a 400 is not retried: the notification is dead")
            let dead = try #require(try await list("dead").first)
            #expect((dead["lastError"] as? String)?.contains("400") == true)
            let id = try #require(dead["id"] as? Int)
            let replay = try await client.execute(uri: "/v1/deliveries/\(id)/replay", method: .post, headers: headers)
            #expect(replay.status == .ok)
            #expect(try await eventually { try await list("delivered").map { $0["id"] as? Int } == [id] }, "the replay is delivered")
            #expect(try await list("dead").isEmpty)
            let again = try await client.execute(uri: "/v1/deliveries/\(id)/replay", method: .post, headers: headers)
            #expect(again.status == .notFound, "only a dead notification is replayed")
            let bad = try await client.execute(uri: "/v1/deliveries?status=lost", method: .get, headers: headers)
            #expect(bad.status == .badRequest)
        }
        #expect(await receiver.received.count == 2)
    }
}
