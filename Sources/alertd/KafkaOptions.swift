import ArgumentParser
import KafkaPipeline

/// The Kafka flags of `serve` and `router`.
struct KafkaOptions: ParsableArguments {
    @Option(
        name: .customLong("kafka-brokers"),
        help: "host:port[,host:port]: ingest through the tenants' Kafka topics and run the router's consumer. (env: ALERTD_KAFKA_BROKERS)")
    var brokers: String? = CommonOptions.environment("ALERTD_KAFKA_BROKERS")

    @Option(
        name: .customLong("kafka-topic-prefix"),
        help: "Tenant topics are <prefix>.<tenant> and <prefix>.<tenant>.dlq. (env: ALERTD_KAFKA_TOPIC_PREFIX)")
    var topicPrefix: String = CommonOptions.environment("ALERTD_KAFKA_TOPIC_PREFIX") ?? "alerts"

    @Option(name: .customLong("kafka-group"), help: "The router's consumer group. (env: ALERTD_KAFKA_GROUP)")
    var group: String = CommonOptions.environment("ALERTD_KAFKA_GROUP") ?? "alertd-router"

    @Option(name: .customLong("kafka-partitions"), help: "Partitions of the tenant topics alertd creates. (env: ALERTD_KAFKA_PARTITIONS)")
    var partitions: Int = CommonOptions.environment("ALERTD_KAFKA_PARTITIONS").flatMap(Int.init) ?? 3

    @Option(
        name: .customLong("kafka-session-timeout"),
        help: "The consumer's session timeout in seconds. (env: ALERTD_KAFKA_SESSION_TIMEOUT)")
    var sessionTimeout: Int = CommonOptions.environment("ALERTD_KAFKA_SESSION_TIMEOUT").flatMap(Int.init) ?? 10

    @Option(
        name: .customLong("kafka-linger"),
        help: """
            Milliseconds the producer waits to fill a batch of records before sending it (0 sends at once): lower answers \
            ingest sooner, higher sends fewer and larger requests. (env: ALERTD_KAFKA_LINGER)
            """)
    var linger: Int = CommonOptions.environment("ALERTD_KAFKA_LINGER").flatMap(Int.init) ?? 2

    @OptionGroup var security: KafkaSecurityOptions

    func validate() throws {
        guard TenantTopics(prefix: topicPrefix) != nil else {
            throw ValidationError("--kafka-topic-prefix may hold letters, digits, '.', '_' and '-' only")
        }
        guard partitions >= 1 else { throw ValidationError("--kafka-partitions must be at least 1") }
        guard sessionTimeout >= 1 else { throw ValidationError("--kafka-session-timeout must be at least 1 second") }
        guard (0...60_000).contains(linger) else { throw ValidationError("--kafka-linger must be between 0 and 60000 milliseconds") }
    }

    /// Nil when no brokers are given.
    func settings() throws -> KafkaSettings? {
        guard let brokers else { return nil }
        return KafkaSettings(
            brokers: brokers, topicPrefix: topicPrefix, groupID: group, partitions: partitions, sessionTimeout: .seconds(sessionTimeout),
            linger: .milliseconds(linger), security: try security.settings())
    }
}
