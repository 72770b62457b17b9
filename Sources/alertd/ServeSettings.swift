import Foundation

/// Everything `buildApplication` needs; tests build it directly.
struct ServeSettings: Sendable {
    var host = "127.0.0.1"
    var port = 8080
    var tenantsDirectory = "tenants"
    var dataDirectory = ".alertd"
    /// `postgres://…`: keep tenant data in PostgreSQL instead of SQLite files.
    var databaseURL: String?
    /// Ingest through Kafka and run the router's consumer, instead of the embedded bus.
    var kafka: KafkaSettings?
    /// How long a PostgreSQL operation may wait before the request is answered 503.
    var storeDeadline: Duration = .seconds(5)
    /// The smoothed durable-write latency above which overload protection shrinks every
    /// tenant's admitted share of its ingest quota.
    var writeLatencyTarget: Duration = .milliseconds(250)
    /// OTLP span export; off when nil.
    var tracing: TracingSettings?
    /// `alertd rating`: the file of the key shared with `alertd gateway`; the API then accepts
    /// the gateway's internal tokens only.
    var internalKeyFile: String?
    /// Trust a generated development key per tenant.
    var dev = false
    /// Where `env:` secret references are looked up.
    var environment: [String: String] = ProcessInfo.processInfo.environment
    /// How many events the in-process bus holds before leaving them to the ledger sweep.
    var busCapacity = 10_000
    /// The least time between two passes of the group flusher, or of the delivery worker, over
    /// one tenant.
    var deliveryPollInterval: Duration = .milliseconds(200)
    /// How often every tenant's groups and deliveries are looked at even without news of work
    /// in this process (work another replica or process left): nil for 10 minutes with
    /// SQLite, 30 seconds with PostgreSQL.
    var recheckInterval: Duration?
    var sweepInterval: Duration = .seconds(5)
    var retentionInterval: Duration = .seconds(3_600)
    /// How often ended alerts teach the learned rating, and how long after an alert ended its
    /// feedback is waited for.
    var learningInterval: Duration = .seconds(600)
    var outcomeGrace: TimeInterval = 3_600
    /// How often the delivery queue gauges are refreshed.
    var queueMetricsInterval: Duration = .seconds(15)
    /// How often the tenants directory is checked for changes to reload.
    var tenantsCheckInterval: Duration = .seconds(10)
    /// The time the API receives and acts on alerts at.
    var now: @Sendable () -> Date = { Date() }
}
