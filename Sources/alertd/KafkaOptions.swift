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
        name: .customLong("kafka-security-protocol"),
        help: "plaintext, ssl, sasl_plaintext or sasl_ssl (default plaintext). (env: ALERTD_KAFKA_SECURITY_PROTOCOL)")
    var securityProtocol: String? = CommonOptions.environment("ALERTD_KAFKA_SECURITY_PROTOCOL")

    @Option(
        name: .customLong("kafka-ssl-ca"),
        help: "PEM file of the authorities that sign the brokers' certificates; the system's when not given. (env: ALERTD_KAFKA_SSL_CA)")
    var sslCA: String? = CommonOptions.environment("ALERTD_KAFKA_SSL_CA")

    @Option(
        name: .customLong("kafka-ssl-certificate"),
        help: "PEM file of alertd's client certificate, for brokers that ask for one (with --kafka-ssl-key). (env: ALERTD_KAFKA_SSL_CERTIFICATE)")
    var sslCertificate: String? = CommonOptions.environment("ALERTD_KAFKA_SSL_CERTIFICATE")

    @Option(name: .customLong("kafka-ssl-key"), help: "PEM file of the client certificate's key. (env: ALERTD_KAFKA_SSL_KEY)")
    var sslKey: String? = CommonOptions.environment("ALERTD_KAFKA_SSL_KEY")

    @Option(
        name: .customLong("kafka-sasl-mechanism"),
        help: "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512, with sasl_plaintext or sasl_ssl. (env: ALERTD_KAFKA_SASL_MECHANISM)")
    var saslMechanism: String? = CommonOptions.environment("ALERTD_KAFKA_SASL_MECHANISM")

    @Option(name: .customLong("kafka-sasl-username"), help: "The SASL user. (env: ALERTD_KAFKA_SASL_USERNAME)")
    var saslUsername: String? = CommonOptions.environment("ALERTD_KAFKA_SASL_USERNAME")

    @Option(
        name: .customLong("kafka-sasl-password"),
        help: "The SASL password as env:NAME or file:PATH, never the password itself. (env: ALERTD_KAFKA_SASL_PASSWORD)")
    var saslPassword: String? = CommonOptions.environment("ALERTD_KAFKA_SASL_PASSWORD")

    func validate() throws {
        _ = try security()
        guard TenantTopics(prefix: topicPrefix) != nil else {
            throw ValidationError("--kafka-topic-prefix may hold letters, digits, '.', '_' and '-' only")
        }
        guard partitions >= 1 else { throw ValidationError("--kafka-partitions must be at least 1") }
        guard sessionTimeout >= 1 else { throw ValidationError("--kafka-session-timeout must be at least 1 second") }
    }

    /// The security settings, checked together.
    func security() throws -> KafkaSecurity {
        do {
            return try KafkaSecurity(
                securityProtocol: securityProtocol, certificateAuthority: sslCA, certificate: sslCertificate, key: sslKey,
                saslMechanism: saslMechanism, saslUsername: saslUsername, saslPassword: saslPassword)
        } catch {
            throw ValidationError(error.description)
        }
    }

    /// Nil when no brokers are given.
    func settings() throws -> KafkaSettings? {
        guard let brokers else { return nil }
        return KafkaSettings(
            brokers: brokers, topicPrefix: topicPrefix, groupID: group, partitions: partitions, sessionTimeout: .seconds(sessionTimeout),
            security: try security())
    }
}
