import AlertCore
import Foundation
import Sinks
import Testing

@Suite struct SlackSinkTests {
    let settings = JSONValue.object(["url": .string("env:SLACK_URL")])
    let secrets = SecretResolver(environment: ["SLACK_URL": "http://127.0.0.1:1/services/T/B/X"])

    func render(_ notification: AlertNotification) throws -> [[String: Any]] {
        let requests = try SlackSink().requests(for: notification, settings: settings, secrets: secrets)
        #expect(requests.allSatisfy { $0.url == "http://127.0.0.1:1/services/T/B/X" })
        return try requests.map { try #require(try JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any]) }
    }

    static func blocks(_ message: [String: Any]) -> [[String: Any]] { message["blocks"] as? [[String: Any]] ?? [] }

    static func text(_ block: [String: Any]) -> String { (block["text"] as? [String: Any])?["text"] as? String ?? "" }

    @Test func rendersTheGroupAsBlockKit() throws {
        let messages = try render(SampleAlerts.notification())
        #expect(messages.count == 1)
        let blocks = Self.blocks(try #require(messages.first))
        #expect(blocks.map { $0["type"] as? String } == ["header", "section", "section", "context"])
        #expect(Self.text(blocks[0]) == "[FIRING] [P1] HighLatency · 1 firing")
        let fields = (blocks[1]["fields"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
        #expect(fields.contains("*Score*\n0.88"))
        #expect(fields.contains("*Priority*\nP1"))
        let alert = Self.text(blocks[2])
        #expect(alert.hasPrefix(":red_circle: *FIRING* · *P1* · score *0.88* · *HighLatency*\n"))
        #expect(alert.contains("\np99 &lt;2s&gt; &amp; rising\n"), "mrkdwn control characters are escaped")
        #expect(alert.contains("severity=`critical` · service=`checkout` · instance=`web-1`"), "key labels first")
        #expect(alert.contains("_Why:_ severity 1.00 × 0.50 = 0.50 (severity \"critical\") · history 1.00 × 0.25 = 0.25"))
        #expect(alert.contains("<http://prometheus.local/graph?g0.expr=latency|Source> · started 2027-01-15T08:00:00.000Z"))
        #expect(((blocks[3]["elements"] as? [[String: Any]])?.first?["text"] as? String)?.contains("acme") == true)
        #expect((messages[0]["text"] as? String)?.hasPrefix("[FIRING] [P1] HighLatency · 1 firing: p99 &lt;2s&gt;") == true)
        #expect(messages[0]["channel"] == nil, "an incoming webhook posts to its own channel")
    }

    @Test func marksFiringAndResolvedAlerts() throws {
        let notification = SampleAlerts.notification([
            SampleAlerts.alert(instance: "web-1", status: .resolved, score: 0.9),
            SampleAlerts.alert(instance: "web-2", status: .firing, score: 0.5, priority: .p3),
        ])
        let blocks = Self.blocks(try #require(try render(notification).first))
        #expect(Self.text(blocks[0]) == "[FIRING] [P3] HighLatency · 1 firing, 1 resolved", "the lead is the firing alert")
        let alerts = blocks.filter { $0["type"] as? String == "section" && $0["text"] != nil }.map(Self.text)
        #expect(alerts.count == 2)
        #expect(alerts[0].hasPrefix(":red_circle: *FIRING* · *P3*") && alerts[0].contains("`web-2`"))
        #expect(alerts[1].hasPrefix(":large_green_circle: *RESOLVED* · *P1*") && alerts[1].contains("`web-1`"))
    }

    @Test func aResolvedGroupSaysSo() throws {
        let blocks = Self.blocks(try #require(try render(SampleAlerts.notification(status: .resolved)).first))
        #expect(Self.text(blocks[0]) == "[RESOLVED] [P1] HighLatency · 1 resolved")
    }

    /// Every message within Block Kit's limits, the alert of every one of `instances` in exactly
    /// one message.
    func checkLimits(_ messages: [[String: Any]], instances: [String]) {
        var seen: [String] = []
        for (index, message) in messages.enumerated() {
            let blocks = Self.blocks(message)
            #expect(blocks.count <= 50)
            #expect(((message["text"] as? String)?.utf16.count ?? 0) <= 40_000)
            let header = Self.text(blocks[0])
            #expect(blocks[0]["type"] as? String == "header" && header.utf16.count <= 150)
            if messages.count > 1 { #expect(header.hasSuffix(" (\(index + 1)/\(messages.count))")) }
            var size = 0
            for block in blocks {
                let text = Self.text(block)
                #expect(text.utf16.count <= 3_000)
                let fields = (block["fields"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
                #expect(fields.count <= 10 && fields.allSatisfy { $0.utf16.count <= 2_000 })
                size += text.utf16.count + fields.reduce(0) { $0 + $1.utf16.count }
                if block["type"] as? String == "section", let instance = text.range(of: "instance=`web-") {
                    seen.append(String(text[instance.upperBound...].prefix { $0 != "`" }))
                }
            }
            #expect(size <= 12_000 + 500, "well under the size Slack refuses with msg_blocks_too_long")
        }
        #expect(seen.sorted() == instances.sorted(), "every alert exactly once")
    }

    @Test func splitsALargeGroupIntoMessagesWithinSlacksLimits() throws {
        let messages = try render(SampleAlerts.group(firing: 38, resolved: 2, summaryLength: 400))
        #expect(messages.count >= 2)
        checkLimits(messages, instances: (0..<40).map(String.init))
        #expect(Self.blocks(messages[0]).contains { $0["fields"] != nil }, "the first message sums the group up")
        #expect(!Self.blocks(messages[1]).contains { $0["fields"] != nil })
    }

    @Test func splitsManySmallAlertsOnTheBlockLimit() throws {
        let messages = try render(SampleAlerts.group(firing: 130, summaryLength: 5))
        #expect(messages.count >= 3)
        checkLimits(messages, instances: (0..<130).map(String.init))
    }

    @Test func clipsAnAlertToTheSectionLimitWithoutBreakingAnEscape() throws {
        let url = "http://prometheus.local/graph?" + String(repeating: "a=1&", count: 240)
        let alert = SampleAlerts.alert(summary: String(repeating: "&", count: 600), generatorURL: url)
        let messages = try render(SampleAlerts.notification([alert]))
        let text = Self.text(Self.blocks(try #require(messages.first))[2])
        #expect(text.utf16.count <= 3_000)
        #expect(text.hasSuffix("…"))
        for partial in ["&", "&a", "&am", "&amp", "&l", "&lt", "&g", "&gt"] {
            #expect(!text.dropLast().hasSuffix(partial), "cut inside an escape: \(partial)")
        }
        #expect(text.contains(String(repeating: "&amp;", count: 499) + "…"), "the summary is cut before it is escaped")
        checkLimits(messages, instances: ["1"])
    }

    @Test func refusesAnInlineWebhookURL() {
        let problems = SlackSink().problems(
            settings: .object(["url": .string("https://hooks.slack.com/services/T/B/X")]), at: "receivers[0].slack")
        #expect(problems.map(\.path) == ["receivers[0].slack.url"])
    }
}
