import ArgumentParser

/// How alertd connects to the Kafka brokers: TLS and SASL, for `serve`, `router` and `send`.
struct KafkaSecurityOptions: ParsableArguments {
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
        _ = try settings()
    }

    /// The security settings, checked together.
    func settings() throws -> KafkaSecurity {
        do {
            return try KafkaSecurity(
                securityProtocol: securityProtocol, certificateAuthority: sslCA, certificate: sslCertificate, key: sslKey,
                saslMechanism: saslMechanism, saslUsername: saslUsername, saslPassword: saslPassword)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
