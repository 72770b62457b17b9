import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@testable import alertd

/// The rating's human inputs through the HTTP API, on SQLite and PostgreSQL: acknowledgement
/// latency runs from alertd's own notification (never from a producer's `startsAt`), feedback
/// can be corrected, an ack on a resolved alert is no response, and an alert that resolves
/// unacknowledged is a missed one.
@Suite struct ResponseInputsTests {
    let api = AlertAPITests()

    func alert(_ name: String, startsAt: Date? = nil, endsAt: Date? = nil) -> String {
        let times = [("startsAt", startsAt), ("endsAt", endsAt)].compactMap { key, date in
            date.map { "\"\(key)\": \"\(ISO8601DateFormatter().string(from: $0))\"" }
        }
        return #"{"labels": {"alertname": "\#(name)", "service": "checkout", "severity": "critical"}, "source": "prom""#
            + times.map { ", " + $0 }.joined() + "}"
    }

    func fingerprint(_ response: TestResponse) throws -> String {
        try #require(((try api.json(response)["alerts"] as? [[String: Any]])?.first?["fingerprint"]) as? String)
    }

    /// The factor `name` of a fresh rating of `body`: its value and detail.
    func factor(_ client: any TestClientProtocol, _ name: String, of body: String, token: String) async throws -> (Double, String) {
        let rated = try api.json(try await api.post(client, "/v1/rate", token: token, body: body))
        let factors = try #require(((rated["alerts"] as? [[String: Any]])?.first?["factors"]) as? [[String: Any]])
        let factor = try #require(factors.first { $0["name"] as? String == name })
        return (try #require(factor["value"] as? Double), try #require(factor["detail"] as? String))
    }

    func delivered(_ client: any TestClientProtocol, _ fingerprint: String, token: String) async throws -> Bool {
        let detail = try api.json(try await api.get(client, "/v1/alerts/\(fingerprint)", token: token))
        return (detail["deliveries"] as? [[String: Any]])?.contains { $0["state"] as? String == "delivered" } == true
    }

    @Test(arguments: StoreBackend.allCases)
    func ackLatencyRunsFromTheNotificationNotFromStartsAt(backend: StoreBackend) async throws {
        let deployment = try TestDeployment(backend: backend)
        defer { deployment.remove() }
        let clock = TestClock()
        try await ScriptedReceiver().serve { port in
            var settings = try deployment.settings(hookPort: port)
            settings.now = clock.now
            let app = try await buildApplication(settings, logger: deployment.logger)
            try await app.test(.router) { client in
                let token = try await deployment.token("acme", "alerts:write", "alerts:read", "alerts:ack")

                let stale = alert("ReSent", startsAt: clock.now().addingTimeInterval(-7_200))
                let old = try fingerprint(try await api.post(client, "/v1/alerts", token: token, body: stale))
                #expect(try await eventually(seconds: 20) { try await delivered(client, old, token: token) })
                #expect(try await api.post(client, "/v1/alerts/\(old)/ack", token: token, body: "").status == .ok)
                let (fast, fastDetail) = try await factor(client, "history", of: stale, token: token)
                #expect(fast > 0.6, "acknowledged right after the notification: \(fastDetail)")

                let forged = alert("Forged", startsAt: clock.now().addingTimeInterval(7_200))
                let future = try fingerprint(try await api.post(client, "/v1/alerts", token: token, body: forged))
                #expect(try await eventually(seconds: 20) { try await delivered(client, future, token: token) })
                clock.advance(by: 1_800)
                #expect(try await api.post(client, "/v1/alerts/\(future)/ack", token: token, body: "").status == .ok)
                let (slow, slowDetail) = try await factor(client, "history", of: forged, token: token)
                #expect(slow < 0.5, "half an hour after the notification is slow, whatever startsAt says: \(slowDetail)")
                #expect(slowDetail.contains("mean time to acknowledge 18"), "\(slowDetail)")
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func withoutANotificationAckLatencyRunsFromReceipt(backend: StoreBackend) async throws {
        let deployment = try TestDeployment(backend: backend)
        defer { deployment.remove() }
        let clock = TestClock()
        var settings = try deployment.settings()
        settings.now = clock.now
        let app = try await buildApplication(settings, logger: deployment.logger)
        try await app.test(.router) { client in
            let token = try await deployment.token("acme", "alerts:write", "alerts:read", "alerts:ack")
            let body = alert("Unsent", startsAt: clock.now().addingTimeInterval(600))
            let fingerprint = try fingerprint(try await api.post(client, "/v1/alerts", token: token, body: body))
            clock.advance(by: 900)
            #expect(try await api.post(client, "/v1/alerts/\(fingerprint)/ack", token: token, body: "").status == .ok)
            let (value, detail) = try await factor(client, "history", of: body, token: token)
            let seconds = try #require(detail.firstMatch(of: /mean time to acknowledge (\d+)s/).flatMap { Int($0.1) }, "\(detail)")
            #expect((900..<960).contains(seconds), "the 900 s the clock moved, plus the requests' own time: \(detail)")
            #expect(abs(value - (0.5 + 1) / 3) < 0.01, "one ack at the response target scores 0.5")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func unacknowledgedResolutionsAreMissesAndLateAcksAreNoResponse(backend: StoreBackend) async throws {
        try await api.withApp(backend) { client, deployment in
            let token = try await deployment.token("acme", "alerts:write", "alerts:read", "alerts:ack")
            let body = alert("Ignored")
            let fingerprint = try fingerprint(try await api.post(client, "/v1/alerts", token: token, body: body))
            let (prior, _) = try await factor(client, "history", of: body, token: token)
            #expect(prior == 0.5)
            #expect(try await api.post(client, "/v1/alerts/\(fingerprint)/resolve", token: token, body: "").status == .ok)
            let (once, onceDetail) = try await factor(client, "history", of: body, token: token)
            #expect(abs(once - 1.0 / 3) < 1e-3, "one miss against the prior: \(onceDetail)")
            #expect(onceDetail.contains("1.0 resolved unacknowledged"), "\(onceDetail)")

            let late = try api.json(try await api.post(client, "/v1/alerts/\(fingerprint)/ack", token: token, body: ""))
            #expect(late["acknowledgedBy"] as? String == "tester", "the ack is kept on the alert")
            #expect(late["status"] as? String == "resolved")
            let (afterLateAck, _) = try await factor(client, "history", of: body, token: token)
            #expect(abs(afterLateAck - once) < 1e-3, "an ack on a resolved alert is no response")

            _ = try await api.post(client, "/v1/alerts", token: token, body: body)
            let ended = alert("Ignored", startsAt: Date().addingTimeInterval(-60), endsAt: Date().addingTimeInterval(-1))
            #expect(try await api.post(client, "/v1/alerts", token: token, body: ended).status == .accepted)
            let (twice, twiceDetail) = try await factor(client, "history", of: body, token: token)
            #expect(abs(twice - 1.0 / 4) < 1e-3, "resolved by its producer, unacknowledged: a second miss: \(twiceDetail)")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func feedbackIsTheOperatorsLatestWord(backend: StoreBackend) async throws {
        let deployment = try TestDeployment(backend: backend)
        defer { deployment.remove() }
        let captured = CapturedLog()
        let app = try await buildApplication(try deployment.settings(), logger: captured.logger)
        try await app.test(.router) { client in
            let token = try await deployment.token("acme", "alerts:write", "alerts:read", "alerts:ack")
            let body = alert("Disputed")
            let fingerprint = try fingerprint(try await api.post(client, "/v1/alerts", token: token, body: body))
            let path = "/v1/alerts/\(fingerprint)/feedback"

            let noise = try api.json(try await api.post(client, path, token: token, body: #"{"kind": "noise"}"#))
            #expect(noise["feedback"] as? String == "noise")
            let (low, _) = try await factor(client, "reliability", of: body, token: token)
            #expect(abs(low - 1.0 / 3) < 1e-3)

            let corrected = try await api.post(client, path, token: token, body: #"{"kind": "actionable"}"#)
            #expect(corrected.status == .ok)
            #expect(try api.json(corrected)["feedback"] as? String == "actionable", "the answer shows the new state")
            #expect(try api.json(corrected)["feedbackAt"] is String)
            let (high, highDetail) = try await factor(client, "reliability", of: body, token: token)
            #expect(abs(high - 2.0 / 3) < 1e-3, "the noise count is taken back and the actionable one added: \(highDetail)")

            #expect(try await api.post(client, path, token: token, body: #"{"kind": "actionable"}"#).status == .ok)
            let (same, _) = try await factor(client, "reliability", of: body, token: token)
            #expect(abs(same - high) < 1e-4, "the same word again counts once")
            let stored = try api.json(try await api.get(client, "/v1/alerts/\(fingerprint)", token: token))
            #expect(stored["feedback"] as? String == "actionable")
        }
        let feedback = captured.all.filter { $0.contains("audit=true") && $0.contains("action=feedback on alert") }
        #expect(feedback.count == 3, "\(feedback)")
        #expect(feedback.contains { $0.contains("outcome=noise ") || $0.hasSuffix("outcome=noise") })
        #expect(feedback.contains { $0.contains("outcome=actionable, replacing noise") })
        #expect(feedback.contains { $0.contains("outcome=actionable, unchanged") })
    }
}
