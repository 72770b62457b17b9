import AlertCore
import Crypto
import Foundation
import Sinks
import TestSupport
import Testing

@Suite struct WebhookSinkTests {
    let settings = JSONValue.object(["url": .string("http://127.0.0.1:1/hook"), "secret": .string("env:HOOK_SECRET")])
    let secrets = SecretResolver(environment: ["HOOK_SECRET": "s3cret"])

    func message(_ notification: AlertNotification, settings: JSONValue? = nil) throws -> [String: Any] {
        let request = try WebhookSink().request(for: notification, settings: settings ?? self.settings, secrets: secrets)
        return try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
    }

    @Test func signsTheBodyWithTheReceiverSecret() throws {
        let notification = SampleAlerts.notification()
        let request = try WebhookSink().request(for: notification, settings: settings, secrets: secrets)
        let signature = try #require(request.headers.first { $0.0 == "X-Alertd-Signature" }?.1)
        let expected = HMAC<SHA256>.authenticationCode(for: request.body, using: SymmetricKey(data: Data("s3cret".utf8)))
        #expect(signature == "sha256=" + expected.map { String(format: "%02x", $0) }.joined())
        #expect(request.headers.first { $0.0 == "X-Alertd-Notification-Key" }?.1 == notification.key)
        #expect(request.headers.first { $0.0 == "X-Alertd-Tenant" }?.1 == "acme")
    }

    /// A body a real Alertmanager 0.25 sent to a webhook receiver.
    static let alertmanagerBody = #"""
        {"receiver": "webhook", "status": "firing",
         "alerts": [{"status": "firing", "labels": {"alertname": "HighErrorRate", "service": "api", "severity": "critical", "tenant": "acme"},
                     "annotations": {"description": "acme api 5xx ratio 0.07", "summary": "5xx rate above 5%"},
                     "startsAt": "2026-11-22T13:52:34Z", "endsAt": "0001-01-01T00:00:00Z",
                     "generatorURL": "http://127.0.0.1:8080/rules/high-error-rate", "fingerprint": "be00d9eda4ac33f9"}],
         "groupLabels": {"alertname": "HighErrorRate", "tenant": "acme"},
         "commonLabels": {"alertname": "HighErrorRate", "service": "api", "severity": "critical", "tenant": "acme"},
         "commonAnnotations": {"description": "acme api 5xx ratio 0.07", "summary": "5xx rate above 5%"},
         "externalURL": "http://vm:9093", "version": "4", "groupKey": "{}:{alertname=\"HighErrorRate\", tenant=\"acme\"}",
         "truncatedAlerts": 0}
        """#

    @Test func theBodyHasEveryFieldOfAlertmanagersWebhookVersion4() throws {
        let real = try #require(try JSONSerialization.jsonObject(with: Data(Self.alertmanagerBody.utf8)) as? [String: Any])
        let expectedKeys = Set(real.keys)
        let expectedAlertKeys = Set(try #require((real["alerts"] as? [[String: Any]])?.first).keys)
        let body = try message(SampleAlerts.notification())
        #expect(expectedKeys.subtracting(body.keys).isEmpty)
        #expect(Set(body.keys).subtracting(expectedKeys) == ["tenant", "groupID"])
        #expect(body["version"] as? String == "4")
        #expect(body["status"] as? String == "firing")
        #expect(body["receiver"] as? String == "oncall")
        #expect(body["tenant"] as? String == "acme")
        #expect(body["groupKey"] as? String == #"route 0:{alertname="HighLatency", service="checkout"}"#)
        #expect(body["groupLabels"] as? [String: String] == ["alertname": "HighLatency", "service": "checkout"])
        #expect(body["truncatedAlerts"] as? Int == 0)
        let alert = try #require((body["alerts"] as? [[String: Any]])?.first)
        #expect(expectedAlertKeys.subtracting(alert.keys).isEmpty)
        #expect(alert["startsAt"] as? String == "2027-01-15T08:00:00.000Z")
        #expect(alert["endsAt"] as? String == "0001-01-01T00:00:00Z", "a firing alert has not ended")
        #expect((alert["labels"] as? [String: String])?["alertname"] == "HighLatency")
        let rating = try #require(alert["rating"] as? [String: Any])
        #expect(rating["score"] as? Double == 0.875)
        #expect(rating["priority"] as? String == "P1")
        #expect(rating["urgent"] as? Bool == true)
        #expect((rating["factors"] as? [[String: Any]])?.count == 3)
    }

    @Test func aResolvedAlertCarriesItsEnd() throws {
        let body = try message(SampleAlerts.notification(status: .resolved))
        #expect(body["status"] as? String == "resolved")
        let alert = try #require((body["alerts"] as? [[String: Any]])?.first)
        #expect(alert["status"] as? String == "resolved")
        #expect(alert["endsAt"] as? String == "2027-01-15T08:10:00.000Z")
    }

    @Test func commonLabelsAreTheOnesEveryAlertShares() throws {
        let body = try message(SampleAlerts.group(firing: 3))
        #expect(body["commonLabels"] as? [String: String] == ["alertname": "HighLatency", "service": "checkout", "severity": "critical"])
        #expect((body["alerts"] as? [Any])?.count == 3)
        #expect(body["commonAnnotations"] as? [String: String] == [:])
    }

    @Test func maxAlertsTruncatesAndCountsTheRest() throws {
        let limited = JSONValue.object(["url": .string("http://127.0.0.1:1/hook"), "secret": .string("env:HOOK_SECRET"), "max_alerts": .number(2)])
        let body = try message(SampleAlerts.group(firing: 4, resolved: 1), settings: limited)
        let alerts = try #require(body["alerts"] as? [[String: Any]])
        #expect(alerts.count == 2)
        #expect(body["truncatedAlerts"] as? Int == 3)
        #expect(alerts.map { ($0["labels"] as? [String: String])?["instance"] } == ["web-0", "web-1"], "highest scores first")
        let all = try message(SampleAlerts.group(firing: 4, resolved: 1), settings: settings)
        #expect((all["alerts"] as? [Any])?.count == 5)
        #expect(all["truncatedAlerts"] as? Int == 0)
    }

    @Test func postsToTheEndpoint() async throws {
        let endpoint = ScriptedReceiver()
        try await endpoint.serve { port async throws in
            let settings = JSONValue.object(["url": .string("http://127.0.0.1:\(port)/hook"), "secret": .string("env:HOOK_SECRET")])
            let status = try await WebhookSink().deliver(
                SampleAlerts.group(firing: 2), settings: settings, secrets: secrets, http: SampleAlerts.http(for: WebhookSink()))
            #expect(status == 200)
        }
        let received = try #require(await endpoint.received.first)
        #expect(received.headers["content-type"] == "application/json")
        let body = try #require(try JSONSerialization.jsonObject(with: received.body) as? [String: Any])
        #expect((body["alerts"] as? [Any])?.count == 2)
    }

    @Test func aMissingSecretIsARetryableFailure() {
        do throws(DeliveryFailure) {
            _ = try WebhookSink().request(for: SampleAlerts.notification(), settings: settings, secrets: SecretResolver(environment: [:]))
            Issue.record("expected a failure")
        } catch {
            #expect(error.retryable)
        }
    }

    @Test func validatesSettings() {
        let sink = WebhookSink()
        #expect(sink.problems(settings: settings, at: "r").isEmpty)
        let bad = sink.problems(
            settings: .object([
                "url": .string("ftp://x"), "secret": .string("plain"), "timeout": .string("1 hour"), "extra": .null, "max_alerts": .number(-1),
                "external_url": .string("alertd"),
            ]),
            at: "r")
        #expect(Set(bad.map(\.path)) == ["r.url", "r.secret", "r.timeout", "r.extra", "r.max_alerts", "r.external_url"])
        #expect(
            sink.problems(settings: .object(["url": .string("env:U"), "secret": .string("env:S"), "max_alerts": .number(1.5)]), at: "r").map(\.path)
                == ["r.max_alerts"])
        #expect(
            sink.problems(
                settings: .object([
                    "url": .string("env:U"), "secret": .string("env:S"), "max_alerts": .number(10), "external_url": .string("https://alertd.example"),
                ]), at: "r"
            ).isEmpty)
        #expect(Set(sink.problems(settings: .object([:]), at: "r").map(\.path)) == ["r.url", "r.secret"])
    }
}
