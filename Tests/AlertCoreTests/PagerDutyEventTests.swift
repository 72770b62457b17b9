import AlertCore
import Foundation
import Testing

@Suite struct PagerDutyEventTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func decode(_ json: String) throws(AlertPayloadError) -> PagerDutyEvent {
        try PagerDutyEvent.decode(Data(json.utf8))
    }

    func error(_ json: String) -> AlertPayloadError? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return error
        }
    }

    @Test func decodesPagerDutysExampleTrigger() throws {
        let event = try decode(
            #"""
            {"payload": {"summary": "Example alert on host1.example.com", "timestamp": "2015-07-17T08:42:58.315+0000",
              "source": "monitoringtool:cloudvendor:central-region-dc-01:852559987:cluster/api-stats-prod-003", "severity": "info",
              "component": "postgres", "group": "prod-datapipe", "class": "deploy", "custom_details": {"ping time": "1500ms", "load avg": 0.75}},
             "routing_key": "samplekeyhere", "dedup_key": "samplekeyhere",
             "images": [{"src": "https://www.pagerduty.com/logo.png", "href": "https://example.com/", "alt": "Example text"}],
             "links": [{"href": "https://example.com/", "text": "Link text"}],
             "event_action": "trigger", "client": "Sample Monitoring Service", "client_url": "https://monitoring.example.com"}
            """#)
        #expect(event.action == .trigger && event.routingKey == "samplekeyhere" && event.dedupKey == "samplekeyhere")
        let payload = try #require(event.payload)
        #expect(payload.timestamp == Date(timeIntervalSince1970: 1_437_122_578.315))
        #expect(payload.details == #"{"load avg":0.75,"ping time":"1500ms"}"#)
        let alert = try #require(event.alert(dedupKey: "samplekeyhere", source: "pagerduty/tool", receivedAt: now))
        #expect(alert.labels["alertname"] == "deploy" && alert.labels["service"] == "prod-datapipe" && alert.labels["dedup_key"] == "samplekeyhere")
        #expect(alert.source == "pagerduty/tool" && alert.generatorURL == "https://monitoring.example.com")
        #expect(alert.annotations["link"] == "https://example.com/")
        #expect(alert.status(at: now) == .firing)
    }

    @Test func aTriggerWithoutClassIsNamedByItsSummaryAndStartsNoLaterThanNow() throws {
        let event = try decode(
            #"{"routing_key": "k", "event_action": "trigger", "payload": {"summary": "Disk full", "source": "db-1", "severity": "critical", "timestamp": "2999-01-01T00:00:00Z"}}"#)
        let alert = try #require(event.alert(dedupKey: "d", source: "pagerduty", receivedAt: now))
        #expect(alert.labels == ["alertname": "Disk full", "severity": "critical", "instance": "db-1", "dedup_key": "d"])
        #expect(alert.startsAt == now)
    }

    /// As in the other formats (and so that the alert reads back the same from its Kafka record).
    @Test(arguments: ["1013-01-01T00:00:00Z", "1969-12-31T23:59:59Z"])
    func aTriggerStampedBefore1970StartsWhenReceived(timestamp: String) throws {
        let event = try decode(
            #"{"routing_key": "k", "event_action": "trigger", "payload": {"summary": "Disk full", "source": "db-1", "severity": "critical", "timestamp": "\#(timestamp)"}}"#)
        #expect(event.payload?.timestamp != nil)
        #expect(try #require(event.alert(dedupKey: "d", source: "pagerduty", receivedAt: now)).startsAt == now)
    }

    @Test func acknowledgeAndResolveNeedOnlyTheirDedupKey() throws {
        for action in ["acknowledge", "resolve"] {
            let event = try decode(#"{"routing_key": "k", "dedup_key": "d", "event_action": "\#(action)"}"#)
            #expect(event.action.rawValue == action && event.payload == nil)
            #expect(event.alert(dedupKey: "d", source: "pagerduty", receivedAt: now) == nil)
        }
    }

    @Test func namesTheFieldOfEveryProblem() {
        let trigger = #"{"routing_key": "k", "event_action": "trigger", "payload": {"summary": "s", "source": "h", "severity": "info"}}"#
        for (body, path) in [
            ("[]", ""), ("{", ""), (#"{"event_action": "trigger"}"#, "routing_key"), (#"{"routing_key": 7}"#, "routing_key"),
            (#"{"routing_key": "k"}"#, "event_action"), (#"{"routing_key": "k", "event_action": "Trigger"}"#, "event_action"),
            (#"{"routing_key": "k", "event_action": "resolve"}"#, "dedup_key"),
            (#"{"routing_key": "k", "event_action": "resolve", "dedup_key": ""}"#, "dedup_key"),
            (#"{"routing_key": "k", "event_action": "trigger"}"#, "payload"),
            (trigger.replacingOccurrences(of: #""severity": "info""#, with: #""severity": "high""#), "payload.severity"),
            (trigger.replacingOccurrences(of: #""summary": "s", "#, with: ""), "payload.summary"),
            (trigger.replacingOccurrences(of: #""source": "h""#, with: #""source": ["h"]"#), "payload.source"),
            (trigger.replacingOccurrences(of: #""info"}"#, with: #""info", "timestamp": "2015-07-17 08:42"}"#), "payload.timestamp"),
            (trigger.replacingOccurrences(of: #""info"}"#, with: #""info", "class": 3}"#), "payload.class"),
            (trigger.replacingOccurrences(of: "}}", with: #"}, "links": {"href": "x"}}"#), "links"),
            (trigger.replacingOccurrences(of: "}}", with: #"}, "links": [{"text": "x"}]}"#), "links[0].href"),
        ] {
            #expect(error(body)?.path == path, "\(body)")
        }
    }

    @Test func clipsTheSummaryAtPagerDutysLimit() throws {
        let long = String(repeating: "x", count: 2_000)
        let event = try decode(#"{"routing_key": "k", "event_action": "trigger", "payload": {"summary": "\#(long)", "source": "h", "severity": "info"}}"#)
        #expect(event.payload?.summary.count == PagerDutyEvent.maxSummaryLength)
    }
}
