import AlertCore
import Foundation
import Testing

@Suite struct AlertmanagerAlertDecoderTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/alertmanager-webhook-v4.json")

    @Test func decodesARealAlertmanagerWebhookBody() throws {
        let body = try Data(contentsOf: Self.fixture)
        let alerts = try AlertmanagerAlertDecoder(format: .webhook, maxBatchSize: 10).decode(body, receivedAt: now)
        #expect(alerts.count == 1)
        let alert = try #require(alerts.first)
        #expect(alert.name == "HighErrorRate")
        #expect(alert.labels["service"] == "api")
        #expect(alert.annotations["summary"] == "5xx rate above 5%")
        #expect(alert.endsAt == nil, "Go's zero time means not ended")
        #expect(alert.status(at: now) == .firing)
        #expect(alert.startsAt == RFC3339.date(from: "2026-11-22T13:52:34Z"))
        #expect(alert.generatorURL == "http://127.0.0.1:8080/rules/high-error-rate")
    }

    @Test func aResolvedWebhookAlertIsResolved() throws {
        let body = #"{"version": "4", "alerts": [{"status": "resolved", "labels": {"alertname": "Down"}, "startsAt": "2026-01-01T00:00:00Z", "endsAt": "0001-01-01T00:00:00Z"}]}"#
        let alerts = try AlertmanagerAlertDecoder(format: .webhook, maxBatchSize: 10).decode(Data(body.utf8), receivedAt: now)
        #expect(alerts.first?.status(at: now) == .resolved)
    }

    @Test func decodesWhatPrometheusPosts() throws {
        let body = """
            [{"labels": {"alertname": "Firing", "job": "node"}, "annotations": {"summary": "s"}, "startsAt": "2027-01-15T08:00:00Z",
              "endsAt": "2027-01-15T08:30:00Z", "generatorURL": "http://prometheus:9090/graph"},
             {"labels": {"alertname": "Gone"}, "startsAt": "2027-01-15T07:00:00Z", "endsAt": "2027-01-15T07:50:00Z"},
             {"labels": {"alertname": "NoEnd"}}]
            """
        let alerts = try AlertmanagerAlertDecoder(format: .prometheus, maxBatchSize: 10).decode(Data(body.utf8), receivedAt: now)
        #expect(alerts.map { $0.status(at: now) } == [.firing, .resolved, .firing], "a future or missing endsAt is firing")
        #expect(alerts.first?.source == "node", "the source is the job")
    }

    /// An empty source would make the alert's Kafka record undecodable (a native alert's
    /// `source` must not be empty), so an empty label is passed over.
    @Test func anEmptySourceOrJobLabelIsNoSource() throws {
        let body = #"[{"labels": {"alertname": "A", "job": ""}}, {"labels": {"alertname": "B", "source": "", "job": "node"}}]"#
        let alerts = try AlertmanagerAlertDecoder(format: .prometheus, maxBatchSize: 10).decode(Data(body.utf8), receivedAt: now)
        #expect(alerts.map(\.source) == ["unknown", "node"])
    }

    @Test func anEmptyGeneratorURLCountsAsNone() throws {
        let body = #"[{"labels": {"alertname": "X"}, "generatorURL": ""}]"#
        let alerts = try AlertmanagerAlertDecoder(format: .prometheus, maxBatchSize: 10).decode(Data(body.utf8), receivedAt: now)
        #expect(alerts.first?.generatorURL == nil)
    }

    @Test(arguments: [
        ("http://prometheus:9090/graph?g0.expr=up%3D%3D0&g0.tab=1", true),
        ("urn:isbn:0451450523", true),
        ("git+ssh://host/repo", true),
        ("https://grafana.example/d/ä", true),
        ("", false),
        ("/graph", false),
        ("://host", false),
        (":\u{6c2cc}", false),
        ("1http://host", false),
        ("ht tp://host", false),
        ("http://host/a b", false),
        ("http://host/\u{2003}", false),
        ("http://host/\u{7}", false),
    ])
    func aGeneratorURLIsAnAbsoluteURI(value: String, valid: Bool) {
        #expect(Alert.isGeneratorURL(value) == valid)
    }

    @Test func anAlertResentWithOnlyEndsAtResolves() throws {
        let body = #"[{"labels": {"alertname": "Gone"}, "endsAt": "2027-01-15T07:50:00Z"}, {"labels": {"alertname": "Later"}, "endsAt": "2027-01-15T09:00:00Z"}]"#
        let alerts = try AlertmanagerAlertDecoder(format: .prometheus, maxBatchSize: 10).decode(Data(body.utf8), receivedAt: now)
        #expect(alerts.map { $0.status(at: now) } == [.resolved, .firing])
        #expect(alerts[0].startsAt == alerts[0].endsAt, "a past end is also the start, as in Alertmanager")
        #expect(alerts[1].startsAt == now, "a future end starts now")
    }

    @Test(arguments: [
        (AlertmanagerAlertDecoder.Format.prometheus, #"{"labels": {"alertname": "X"}}"#, ""),
        (.prometheus, "[]", ""),
        (.prometheus, #"[{"labels": {"alertname": "X"}, "source": "me"}]"#, "[0].source"),
        (.prometheus, #"[{"labels": {}}]"#, "[0].labels.alertname"),
        (.webhook, #"[{"labels": {"alertname": "X"}}]"#, ""),
        (.webhook, #"{"version": "3", "alerts": [{"labels": {"alertname": "X"}}]}"#, "version"),
        (.webhook, #"{"alerts": [{"status": "pending", "labels": {"alertname": "X"}}]}"#, "alerts[0].status"),
        (.webhook, #"{"version": {}, "alerts": [{"labels": {"alertname": "X"}}]}"#, "version"),
        (.webhook, #"{"version": 4, "alerts": [{"labels": {"alertname": "X"}}]}"#, "version"),
        (.webhook, #"{"alerts": [{"fingerprint": {"a": 1}, "labels": {"alertname": "X"}}]}"#, "alerts[0].fingerprint"),
        (.prometheus, #"[{"labels": {"alertname": "X"}, "startsAt": "2024-01-01T12:99:00Z"}]"#, "[0].startsAt"),
        (.webhook, #"{"alerts": [{"labels": {"alertname": "X"}}, {"labels": {"alertname": "Y"}}, {"labels": {"alertname": "Z"}}]}"#, "alerts"),
        (.prometheus, #"[{"labels": {"alertname": "X"}, "generatorURL": "/graph"}]"#, "[0].generatorURL"),
        (.prometheus, #"[{"labels": {"alertname": "X"}, "generatorURL": ":\#u{6c2cc}"}]"#, "[0].generatorURL"),
        (.webhook, #"{"alerts": [{"labels": {"alertname": "X"}, "generatorURL": "http://a b"}]}"#, "alerts[0].generatorURL"),
    ])
    func refusesWithTheFieldPath(format: AlertmanagerAlertDecoder.Format, body: String, path: String) {
        #expect(throws: AlertPayloadError.self) {
            _ = try AlertmanagerAlertDecoder(format: format, maxBatchSize: 2).decode(Data(body.utf8), receivedAt: now)
        }
        do {
            _ = try AlertmanagerAlertDecoder(format: format, maxBatchSize: 2).decode(Data(body.utf8), receivedAt: now)
        } catch {
            #expect(error.path == path)
        }
    }
}
