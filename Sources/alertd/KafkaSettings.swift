import Kafka

/// How an alertd process uses Kafka.
struct KafkaSettings: Sendable {
    /// `host:port,host:port`.
    var brokers: String
    /// Tenant topics are `<topicPrefix>.<tenant>`.
    var topicPrefix = "alerts"
    /// The router's consumer group.
    var groupID = "alertd-router"
    /// Partitions of each tenant topic alertd creates.
    var partitions = 3
    var sessionTimeout: Duration = .seconds(10)
    /// How long ingest waits for the broker to acknowledge an alert before answering 503.
    var deliveryTimeout: Duration = .seconds(5)
    /// How long the producer waits to fill a batch before sending it.
    var linger: Duration = KafkaProducer.defaultLinger
    /// TLS and SASL.
    var security = KafkaSecurity()
}
