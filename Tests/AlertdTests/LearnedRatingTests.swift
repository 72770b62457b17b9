import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@testable import alertd

/// The learned rating through the HTTP API, on SQLite and PostgreSQL: ended alerts teach the
/// tenant's model (after the feedback grace), new alerts of a noisy source then score below
/// those of a good one with each feature explained, a late correction moves the model, and
/// no tenant sees or feeds another's model.
@Suite struct LearnedRatingTests {
    let api = AlertAPITests()

    func alert(_ name: String, source: String) -> String {
        #"{"labels": {"alertname": "\#(name)", "service": "checkout", "severity": "critical", "instance": "\#(source)"}, "source": "\#(source)"}"#
    }

    /// A deployment whose tenants take 100 alerts a second, and globex rates with fixed weights.
    func withApp(_ backend: StoreBackend, _ body: @Sendable (any TestClientProtocol, TestDeployment) async throws -> Void) async throws {
        let deployment = try TestDeployment(backend: backend)
        defer { deployment.remove() }
        for (tenant, extra) in [(deployment.acme, ""), (deployment.globex, "rating: {mode: fixed}\n")] {
            let path = "\(deployment.tenantsDirectory)/\(tenant)/tenant.yaml"
            let yaml = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
                of: "ingestPerSecond: 0.5, ingestBurst: 10", with: "ingestPerSecond: 100, ingestBurst: 200")
            try (extra + yaml).write(toFile: path, atomically: true, encoding: .utf8)
        }
        var settings = try deployment.settings()
        settings.learningInterval = .milliseconds(100)
        settings.outcomeGrace = 0
        let app = try await buildApplication(settings, logger: deployment.logger)
        try await app.test(.router) { client in try await body(client, deployment) }
    }

    func model(_ client: any TestClientProtocol, token: String) async throws -> [String: Any] {
        try api.json(try await api.get(client, "/v1/rating/model", token: token))
    }

    func rate(_ client: any TestClientProtocol, _ body: String, token: String) async throws -> [String: Any] {
        let rated = try api.json(try await api.post(client, "/v1/rate", token: token, body: body))
        return try #require((rated["alerts"] as? [[String: Any]])?.first)
    }

    @Test(arguments: StoreBackend.allCases)
    func endedAlertsTeachTheTenantsModel(backend: StoreBackend) async throws {
        try await withApp(backend) { client, deployment in
            let token = try await deployment.token("acme", "alerts:write", "alerts:read", "alerts:ack")
            var goodAlerts: [String] = []
            for index in 0..<12 {
                for (source, verdict) in [("prom-good", "actionable"), ("prom-noisy", "noise")] {
                    let posted = try api.json(try await api.post(client, "/v1/alerts", token: token, body: alert("A\(index)", source: source)))
                    let fingerprint = try #require(((posted["alerts"] as? [[String: Any]])?.first?["fingerprint"]) as? String)
                    if verdict == "actionable" {
                        goodAlerts.append(fingerprint)
                        #expect(try await api.post(client, "/v1/alerts/\(fingerprint)/ack", token: token, body: "").status == .ok)
                    }
                    let feedback = #"{"kind": "\#(verdict)"}"#
                    #expect(try await api.post(client, "/v1/alerts/\(fingerprint)/feedback", token: token, body: feedback).status == .ok)
                    #expect(try await api.post(client, "/v1/alerts/\(fingerprint)/resolve", token: token, body: "").status == .ok)
                }
            }
            #expect(try await eventually(seconds: 20) { try await model(client, token: token)["outcomes"] as? Int == 24 })
            let learned = try await model(client, token: token)
            #expect(learned["mode"] as? String == "learned")
            let sources = try #require(learned["sources"] as? [[String: Any]])
            let good = try #require(sources.first { $0["source"] as? String == "prom-good" })
            let noisy = try #require(sources.first { $0["source"] as? String == "prom-noisy" })
            #expect((good["rate"] as? Double ?? 0) > 0.8 && (noisy["rate"] as? Double ?? 1) < 0.2)
            #expect((learned["calibration"] as? [Any])?.count == 10)

            let fromGood = try await rate(client, alert("New", source: "prom-good"), token: token)
            let fromNoisy = try await rate(client, alert("New", source: "prom-noisy"), token: token)
            let goodPart = try #require(fromGood["learned"] as? [String: Any])
            let noisyPart = try #require(fromNoisy["learned"] as? [String: Any])
            #expect((goodPart["probability"] as? Double ?? 0) > 0.7, "\(goodPart)")
            #expect((noisyPart["probability"] as? Double ?? 1) < 0.3, "\(noisyPart)")
            #expect((fromGood["score"] as? Double ?? 0) > (fromNoisy["score"] as? Double ?? 1), "same labels, different sources")
            #expect((goodPart["handover"] as? Double ?? 0) > 0.2, "24 outcomes hand part of the score over")
            let features = try #require((goodPart["assessment"] as? [String: Any])?["features"] as? [[String: Any]])
            let source = try #require(features.first { $0["name"] as? String == "source" })
            #expect((source["detail"] as? String)?.hasPrefix("source prom-good: 12.0 of the last 12.0 outcomes actionable") == true)
            #expect(source["contribution"] is Double && source["share"] is Double)

            let before = try #require(good["actionable"] as? Double)
            let correction = #"{"kind": "noise"}"#
            #expect(try await api.post(client, "/v1/alerts/\(goodAlerts[0])/feedback", token: token, body: correction).status == .ok)
            let corrected = try await model(client, token: token)
            let after = try #require(
                (corrected["sources"] as? [[String: Any]])?.first { $0["source"] as? String == "prom-good" }?["actionable"] as? Double)
            #expect(after < before - 0.9, "a late correction takes the outcome back: \(before) → \(after)")

            let other = try await deployment.token("globex", "alerts:write", "alerts:read")
            let theirs = try await model(client, token: other)
            #expect(theirs["outcomes"] as? Int == 0 && (theirs["sources"] as? [Any])?.isEmpty == true, "another tenant's model is its own")
            #expect(theirs["mode"] as? String == "fixed")
            #expect(try await rate(client, alert("New", source: "prom-noisy"), token: other)["learned"] == nil, "fixed mode")
            try api.expectProblem(try await client.execute(uri: "/v1/rating/model", method: .get), .unauthorized)
        }
    }
}
