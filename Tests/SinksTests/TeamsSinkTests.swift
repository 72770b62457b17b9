import AlertCore
import Foundation
import Sinks
import TestSupport
import Testing

/// The Teams sink against a fake Workflows webhook that enforces the message shape and size.
@Suite struct TeamsSinkTests {
    let sink = TeamsSink()
    let settings = JSONValue.object(["url": .string("env:TEAMS_URL")])

    func deliver(_ notification: AlertNotification, url: String) async throws(DeliveryFailure) -> Int {
        try await sink.deliver(
            notification, settings: settings, secrets: SecretResolver(environment: ["TEAMS_URL": url]), http: SampleAlerts.http(for: sink))
    }

    static func card(_ body: Data) throws -> [String: Any] {
        let message = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        let attachment = try #require((message["attachments"] as? [[String: Any]])?.first)
        return try #require(attachment["content"] as? [String: Any])
    }

    static func texts(_ element: [String: Any]) -> [String] {
        ((element["items"] as? [[String: Any]]) ?? []).compactMap { $0["text"] as? String }
    }

    @Test func postsAnAdaptiveCardTheWorkflowAccepts() async throws {
        let teams = FakeTeams(signature: "sig-0123")
        try await teams.serve { port async throws in
            #expect(try await deliver(SampleAlerts.group(firing: 2, resolved: 1, summaryLength: 40), url: teams.url(port: port)) == 202)
        }
        let body = try #require(await teams.accepted.first)
        let message = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
        #expect(message["type"] as? String == "message")
        let attachment = try #require((message["attachments"] as? [[String: Any]])?.first)
        #expect(attachment["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        #expect(attachment["contentUrl"] is NSNull)
        let card = try Self.card(body)
        #expect(card["type"] as? String == "AdaptiveCard" && card["version"] as? String == "1.4")
        let elements = try #require(card["body"] as? [[String: Any]])
        #expect(elements.first?["text"] as? String == "[FIRING] [P1] HighLatency · 2 firing, 1 resolved")
        let facts = (elements[1]["facts"] as? [[String: String]]) ?? []
        #expect(facts.contains(["title": "Score", "value": "0.95"]))
        #expect(facts.contains(["title": "Tenant", "value": "acme"]))
        let alerts = elements.filter { $0["type"] as? String == "Container" }
        #expect(alerts.count == 3)
        let lead = Self.texts(alerts[0])
        #expect(lead.first == "**FIRING** · **P1** · score 0.95 · **HighLatency**")
        #expect(lead.contains("severity=critical · service=checkout · instance=web-0"))
        #expect(lead.contains { $0.hasPrefix("Why: severity 1.00 × 0.50 = 0.50 (severity \"critical\")") })
        #expect(lead.contains { $0.hasPrefix("[Source](http://prometheus.local/graph?g0.expr=latency)") })
        #expect(Self.texts(alerts[2]).first?.hasPrefix("**RESOLVED** · **P2**") == true)
    }

    @Test func aLargeGroupIsCutToTeamsSizeLimit() async throws {
        let teams = FakeTeams(signature: "sig-0123")
        try await teams.serve { port async throws in
            #expect(try await deliver(SampleAlerts.group(firing: 80, summaryLength: 400), url: teams.url(port: port)) == 202)
        }
        let body = try #require(await teams.accepted.first)
        #expect(body.count <= 27_000)
        let elements = try #require(try Self.card(body)["body"] as? [[String: Any]])
        let listed = elements.filter { $0["type"] as? String == "Container" }.count
        #expect(listed > 10 && listed < 80)
        #expect(elements.last?["text"] as? String == "…and \(80 - listed) more alerts")
    }

    @Test func throttlingIsRetriedAfterTheWaitTeamsAsksFor() async throws {
        let teams = FakeTeams(signature: "sig-0123", rateLimited: 1)
        try await teams.serve { port async throws in
            do throws(DeliveryFailure) {
                _ = try await deliver(SampleAlerts.notification(), url: teams.url(port: port))
                Issue.record("expected a 429")
            } catch {
                #expect(error.retryable)
                #expect(error.httpStatus == 429)
                #expect(error.retryAfter == 3)
            }
            #expect(try await deliver(SampleAlerts.notification(), url: teams.url(port: port)) == 202)
        }
        #expect(await teams.accepted.count == 1)
    }

    @Test func aWrongSignatureOrFlowIsNotRetried() async throws {
        let teams = FakeTeams(signature: "sig-0123")
        try await teams.serve { port async throws in
            let wrong = FakeTeams(signature: "sig-9999").url(port: port)
            for (url, status) in [(wrong, 401), ("http://127.0.0.1:\(port)/workflows/gone/triggers/manual/paths/invoke?sig=sig-0123", 404)] {
                do throws(DeliveryFailure) {
                    _ = try await deliver(SampleAlerts.notification(), url: url)
                    Issue.record("expected \(status)")
                } catch {
                    #expect(!error.retryable)
                    #expect(error.httpStatus == status)
                }
            }
        }
        #expect(await teams.accepted.isEmpty)
    }

    @Test func theFakeRefusesOversizedAndMalformedMessages() async throws {
        let teams = FakeTeams(signature: "sig-0123")
        let statuses = try await teams.serve { port -> [Int] in
            let http = SampleAlerts.http(for: sink)
            var seen: [Int] = []
            for body in [
                String(repeating: " ", count: 29 * 1024) + "{}",
                #"{"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": {"type": "AdaptiveCard", "version": "1.4", "body": [{"type": "TextBlock", "text": "x"}]}}]}"#,
                #"{"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": null, "content": {"type": "AdaptiveCard", "version": "1.4", "body": [{"type": "Marquee"}]}}]}"#,
            ] {
                let answer = try await http.exchange(
                    SinkRequest(url: teams.url(port: port), headers: [("Content-Type", "application/json")], body: Array(body.utf8)))
                seen.append(answer.status)
            }
            return seen
        }
        #expect(statuses == [413, 400, 400])
    }

    @Test func validatesSettings() {
        #expect(sink.problems(settings: settings, at: "t").isEmpty)
        #expect(sink.problems(settings: .object(["url": .string("https://prod-00.westeurope.logic.azure.com/workflows/x")]), at: "t").isEmpty)
        #expect(sink.problems(settings: .object(["url": .string("ftp://teams")]), at: "t").map(\.path) == ["t.url"])
        #expect(Set(sink.problems(settings: .object(["channel": .string("c")]), at: "t").map(\.path)) == ["t.url", "t.channel"])
        #expect(
            sink.problems(settings: .object(["url": .string("env:T"), "send_resolved": .string("no")]), at: "t").map(\.path) == ["t.send_resolved"])
    }
}
