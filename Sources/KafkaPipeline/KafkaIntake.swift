import AlertCore
import Foundation
import Kafka
import Observability
import Tracing

/// Ingest through Kafka: each accepted alert becomes one record on the tenant's topic, keyed
/// by fingerprint (so one alert's records stay in order on one partition), its value the alert
/// in the native format (`JSONWriter.alert(_:dates:)`, times in RFC 3339), with the headers
/// `tenant`, `content-type`, `alertd-rating` (the rating ingest answered with, as the stores
/// keep it: `JSONWriter.text(of:)`, without the learned features; the router stores it as it
/// is) and `traceparent` (the produce span's, or the alert's own when no tracer runs).
/// `accept` returns once the broker has acknowledged every record.
public struct KafkaIntake: AlertIntake {
    let producer: KafkaProducer
    let topics: TenantTopics
    let metrics: AlertdMetrics

    public init(producer: KafkaProducer, topics: TenantTopics, metrics: AlertdMetrics) {
        self.producer = producer
        self.topics = topics
        self.metrics = metrics
    }

    public func accept(_ alerts: [RatedAlert], tenant: TenantID, at now: Date, policy: RatingPolicy) async throws {
        let topic = topics.alerts(tenant)
        let records = try alerts.map { rated in
            var value = JSONWriter()
            try value.alert(rated.alert, dates: .rfc3339)
            return (
                key: Array(rated.alert.fingerprint.rawValue.utf8), value: value.bytes, rating: try JSONWriter.text(of: rated.rating),
                traceparent: rated.traceparent
            )
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for record in records {
                group.addTask {
                    try await withSpan("kafka.produce", ofKind: .producer) { span in
                        span.attributes["messaging.system"] = "kafka"
                        span.attributes["messaging.destination.name"] = topic
                        var headers: [(name: String, value: String)] = [
                            ("tenant", tenant.rawValue), ("content-type", "application/json"), (RatingHeader.name, record.rating),
                        ]
                        if let traceparent = TraceParent.current(orCarried: record.traceparent) { headers.append(("traceparent", traceparent)) }
                        let start = ContinuousClock.now
                        do {
                            try await producer.send(topic: topic, key: record.key, value: record.value, headers: headers)
                            metrics.recordProduce(ContinuousClock.now - start, outcome: "acked")
                        } catch {
                            metrics.recordProduce(ContinuousClock.now - start, outcome: "failed")
                            throw error
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
