import AlertCore
import AsyncHTTPClient
import Foundation
import Sinks

/// Alerts, notifications and an HTTP sender for the sink tests.
enum SampleAlerts {
    static let tenant = TenantID("acme")!
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let factors = [
        RatingFactor(name: "severity", value: 1, weight: 0.5, contribution: 0.5, detail: "severity \"critical\""),
        RatingFactor(name: "reliability", value: 0.5, weight: 0.25, contribution: 0.125, detail: "source"),
        RatingFactor(name: "history", value: 1, weight: 0.25, contribution: 0.25, detail: "fast acks"),
    ]

    /// An alert of the `HighLatency` group on `instance`.
    static func alert(
        _ name: String = "HighLatency", instance: String = "web-1", summary: String = "p99 <2s> & rising", status: AlertStatus = .firing,
        score: Double = 0.875, priority: Priority = .p1, generatorURL: String? = "http://prometheus.local/graph?g0.expr=latency"
    ) -> NotifiedAlert {
        let alert = Alert(
            labels: ["alertname": name, "service": "checkout", "severity": "critical", "instance": instance], annotations: ["summary": summary],
            source: "prometheus", startsAt: start, endsAt: status == .resolved ? start + 600 : nil, generatorURL: generatorURL)
        return NotifiedAlert(
            fingerprint: alert.fingerprint, alert: alert, status: status,
            rating: Rating(score: score, priority: priority, urgent: priority == .p1, factors: factors))
    }

    /// A notification to `receiver` about `alerts`, grouped by alertname and service.
    static func notification(
        _ alerts: [NotifiedAlert], receiver: ReceiverName = "oncall", group: [String: String] = ["alertname": "HighLatency", "service": "checkout"],
        flushedAt: Date = start + 60
    ) -> AlertNotification {
        AlertNotification(
            tenant: tenant, receiver: receiver, group: AlertGroupKey(route: "0", labels: group), alerts: alerts, flushedAt: flushedAt)
    }

    /// One alert, firing or resolved.
    static func notification(status: AlertStatus = .firing) -> AlertNotification {
        notification([alert(status: status)])
    }

    /// A group of `firing` firing and `resolved` resolved alerts, each with a summary of about
    /// `summaryLength` characters; scores fall from 0.95.
    static func group(firing: Int, resolved: Int = 0, summaryLength: Int = 200, name: String = "HighLatency") -> AlertNotification {
        let filler = String(repeating: "latency above the SLO ", count: summaryLength / 22 + 1).prefix(summaryLength)
        let alerts = (0..<(firing + resolved)).map { index in
            alert(
                name, instance: "web-\(index)", summary: "web-\(index): \(filler)", status: index < firing ? .firing : .resolved,
                score: 0.95 - Double(index) * 0.001, priority: index == 0 ? .p1 : .p2)
        }
        return notification(alerts, group: ["alertname": name, "service": "checkout"])
    }

    /// Sends through `HTTPClient.shared`, retrying what `sink` retries.
    static func http(for sink: some Sink) -> SinkHTTP {
        SinkHTTP(client: HTTPClient.shared, traceparent: nil, isRetryable: { sink.isRetryable(status: $0) })
    }

    /// Delivers `notification`; returns the failure, nil when it was delivered.
    static func failure(
        _ sink: some Sink, _ notification: AlertNotification, settings: JSONValue, environment: [String: String]
    ) async -> DeliveryFailure? {
        do throws(DeliveryFailure) {
            _ = try await sink.deliver(notification, settings: settings, secrets: SecretResolver(environment: environment), http: http(for: sink))
            return nil
        } catch {
            return error
        }
    }
}
