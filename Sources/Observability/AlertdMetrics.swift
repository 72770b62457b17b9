import CoreMetrics
import Prometheus

/// alertd's metrics, recorded through one metrics factory and served as Prometheus text on
/// `/metrics`. Labels are bounded: tenants, their topics and partitions, outcomes.
public final class AlertdMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["alertd_kafka_produce_duration_seconds"] = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        ]
        self.factory = factory
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String {
        registry.emitToString()
    }

    /// A record of `tenant`'s topic was recorded and routed.
    public func recordConsumed(tenant: String) {
        Counter(label: "alertd_kafka_records_consumed_total", dimensions: [("tenant", tenant)], factory: factory).increment()
    }

    /// A record of `tenant`'s topic went to its dead-letter topic.
    public func recordDeadLettered(tenant: String) {
        Counter(label: "alertd_kafka_records_dead_lettered_total", dimensions: [("tenant", tenant)], factory: factory).increment()
    }

    /// How long the broker took to acknowledge a record (`outcome`: acked or failed).
    public func recordProduce(_ duration: Duration, outcome: String) {
        let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
        Timer(label: "alertd_kafka_produce_duration_seconds", dimensions: [("outcome", outcome)], factory: factory)
            .recordNanoseconds(nanoseconds)
    }

    /// Records behind the partition's end after the one just consumed.
    public func recordConsumerLag(topic: String, partition: Int32, lag: Int64) {
        Gauge(label: "alertd_kafka_consumer_lag", dimensions: [("topic", topic), ("partition", "\(partition)")], factory: factory)
            .record(Double(lag))
    }
}
