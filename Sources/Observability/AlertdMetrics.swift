import AlertCore
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
        factory.valueHistogramBuckets["alertd_alert_score"] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 1.0]
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

    /// An answered HTTP request; `route` is the matched route pattern, never the raw path.
    public func recordRequest(method: String, route: String, status: Int, duration: Duration) {
        Counter(
            label: "alertd_http_requests_total", dimensions: [("method", method), ("route", route), ("status", "\(status)")],
            factory: factory
        ).increment()
        Timer(label: "alertd_http_request_duration_seconds", dimensions: [("method", method), ("route", route)], factory: factory)
            .recordNanoseconds(Self.nanoseconds(duration))
    }

    /// An authenticated request of `tenant`, by status.
    public func recordTenantRequest(tenant: String, status: Int) {
        Counter(label: "alertd_tenant_requests_total", dimensions: [("tenant", tenant), ("status", "\(status)")], factory: factory)
            .increment()
    }

    /// The version of the running binary, as a gauge that is always 1.
    public func recordBuildInfo(version: String) {
        Gauge(label: "alertd_build_info", dimensions: [("version", version)], factory: factory).record(1)
    }

    /// The configured sustained ingest rate of `tenant`, so dashboards and alert rules can
    /// show how close a tenant is to its quota.
    public func recordIngestQuota(tenant: String, perSecond: Double) {
        Gauge(label: "alertd_tenant_ingest_quota_per_second", dimensions: [("tenant", tenant)], factory: factory).record(perSecond)
    }

    /// Pending notifications of `tenant` and the age of the oldest, in seconds (0 when none).
    public func recordDeliveryQueue(tenant: String, depth: Int, oldestPendingSeconds: Double) {
        Gauge(label: "alertd_delivery_queue_depth", dimensions: [("tenant", tenant)], factory: factory).record(Double(depth))
        Gauge(label: "alertd_delivery_oldest_pending_seconds", dimensions: [("tenant", tenant)], factory: factory)
            .record(oldestPendingSeconds)
    }

    /// Drops the gauges of a tenant that is no longer served, so its last quota and queue
    /// readings do not stay on `/metrics` (and keep a backlog alert firing) after it is
    /// removed. Its counters stay: they are history.
    public func forgetTenant(_ tenant: String) {
        for label in ["alertd_tenant_ingest_quota_per_second", "alertd_delivery_queue_depth", "alertd_delivery_oldest_pending_seconds"] {
            Gauge(label: label, dimensions: [("tenant", tenant)], factory: factory).destroy()
        }
    }

    /// The share of every tenant's ingest quota the process admits now (1 unless overloaded).
    public func recordAdmissionShare(_ share: Double) {
        Gauge(label: "alertd_ingest_admission_share", factory: factory).record(share)
    }

    /// Alerts of `tenant` accepted by ingest, with their scores.
    public func recordIngested(tenant: String, scores: [Double]) {
        Counter(label: "alertd_alerts_ingested_total", dimensions: [("tenant", tenant)], factory: factory).increment(by: scores.count)
        let histogram = Recorder(label: "alertd_alert_score", dimensions: [("tenant", tenant)], aggregate: true, factory: factory)
        for score in scores { histogram.record(score) }
    }

    /// A request refused by one of `tenant`'s quotas (`ingestPerSecond`, `maxBodyBytes`), or
    /// by overload protection (`overload`).
    public func recordQuotaRejection(tenant: String, quota: String) {
        Counter(label: "alertd_quota_rejections_total", dimensions: [("tenant", tenant), ("quota", quota)], factory: factory).increment()
    }

    /// The learned rating model of `tenant` noticed `count` more sources drifting.
    public func recordDriftEvents(tenant: String, count: Int) {
        Counter(label: "alertd_rating_drift_events_total", dimensions: [("tenant", tenant)], factory: factory).increment(by: count)
    }

    /// A delivery attempt to a sink of kind `sink`.
    public func recordNotification(sink: String, outcome: DeliveryAttempt.Outcome) {
        Counter(label: "alertd_notifications_total", dimensions: [("sink", sink), ("outcome", outcome.rawValue)], factory: factory).increment()
    }

    /// Whether the last tenant reload was applied (1) or rejected (0).
    public func recordReload(succeeded: Bool) {
        Gauge(label: "alertd_config_last_reload_successful", factory: factory).record(succeeded ? 1 : 0)
    }

    /// `count` records of `tenant`'s topic were recorded and routed.
    public func recordConsumed(tenant: String, count: Int) {
        Counter(label: "alertd_kafka_records_consumed_total", dimensions: [("tenant", tenant)], factory: factory).increment(by: count)
    }

    /// A record of `tenant`'s topic went to its dead-letter topic.
    public func recordDeadLettered(tenant: String) {
        Counter(label: "alertd_kafka_records_dead_lettered_total", dimensions: [("tenant", tenant)], factory: factory).increment()
    }

    /// How long the broker took to acknowledge a record (`outcome`: acked or failed).
    public func recordProduce(_ duration: Duration, outcome: String) {
        Timer(label: "alertd_kafka_produce_duration_seconds", dimensions: [("outcome", outcome)], factory: factory)
            .recordNanoseconds(Self.nanoseconds(duration))
    }

    /// Records behind the partition's end after the one just consumed.
    public func recordConsumerLag(topic: String, partition: Int32, lag: Int64) {
        Gauge(label: "alertd_kafka_consumer_lag", dimensions: [("topic", topic), ("partition", "\(partition)")], factory: factory)
            .record(Double(lag))
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
