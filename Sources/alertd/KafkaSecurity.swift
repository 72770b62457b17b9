import AlertCore
import Foundation
import Sinks

/// How alertd authenticates to Kafka and protects the connection: librdkafka's
/// `security.protocol` with TLS files and SASL credentials, the password only as an `env:` or
/// `file:` reference. Checked when the process starts, so a setting that cannot work is named
/// then and not at the first record.
struct KafkaSecurity: Sendable, Equatable {
    enum SecurityProtocol: String, CaseIterable, Sendable {
        case plaintext
        case ssl
        case saslPlaintext = "sasl_plaintext"
        case saslSSL = "sasl_ssl"

        var usesTLS: Bool { self == .ssl || self == .saslSSL }
        var usesSASL: Bool { self == .saslPlaintext || self == .saslSSL }
    }

    enum SASLMechanism: String, CaseIterable, Sendable {
        case plain = "PLAIN"
        case scramSHA256 = "SCRAM-SHA-256"
        case scramSHA512 = "SCRAM-SHA-512"
    }

    var securityProtocol = SecurityProtocol.plaintext
    /// PEM file of the authorities that sign the brokers' certificates (system's when nil).
    var certificateAuthority: String?
    /// PEM files of the client's own certificate and key, for brokers that ask for one.
    var certificate: String?
    var key: String?
    var saslMechanism: SASLMechanism?
    var saslUsername: String?
    /// `env:NAME` or `file:PATH`.
    var saslPassword: SecretReference?

    /// Checks the settings together; `reading` says whether a file can be read.
    init(
        securityProtocol text: String?, certificateAuthority: String?, certificate: String?, key: String?, saslMechanism mechanism: String?,
        saslUsername: String?, saslPassword password: String?, reading: (String) -> Bool = { FileManager.default.isReadableFile(atPath: $0) }
    ) throws(KafkaSecurityError) {
        if let text {
            guard let parsed = SecurityProtocol(rawValue: text.lowercased()) else {
                throw KafkaSecurityError(
                    "--kafka-security-protocol must be one of \(SecurityProtocol.allCases.map(\.rawValue).joined(separator: ", ")), not \(text)")
            }
            securityProtocol = parsed
        }
        for (flag, path) in [("--kafka-ssl-ca", certificateAuthority), ("--kafka-ssl-certificate", certificate), ("--kafka-ssl-key", key)] {
            guard let path else { continue }
            guard securityProtocol.usesTLS else { throw KafkaSecurityError("\(flag) needs --kafka-security-protocol ssl or sasl_ssl") }
            guard reading(path) else { throw KafkaSecurityError("\(flag) \(path) cannot be read") }
        }
        guard (certificate == nil) == (key == nil) else {
            throw KafkaSecurityError("--kafka-ssl-certificate and --kafka-ssl-key go together")
        }
        self.certificateAuthority = certificateAuthority
        self.certificate = certificate
        self.key = key
        guard securityProtocol.usesSASL else {
            if mechanism != nil || saslUsername != nil || password != nil {
                throw KafkaSecurityError("--kafka-sasl-* settings need --kafka-security-protocol sasl_plaintext or sasl_ssl")
            }
            return
        }
        guard let mechanism, let parsed = SASLMechanism(rawValue: mechanism.uppercased()) else {
            throw KafkaSecurityError(
                "--kafka-sasl-mechanism must be one of \(SASLMechanism.allCases.map(\.rawValue).joined(separator: ", ")) with \(securityProtocol.rawValue)")
        }
        guard let saslUsername, !saslUsername.isEmpty else { throw KafkaSecurityError("--kafka-sasl-username is required with \(securityProtocol.rawValue)") }
        guard let password, let reference = SecretReference(password) else {
            throw KafkaSecurityError("--kafka-sasl-password must be a reference, env:NAME or file:PATH, never the password itself")
        }
        saslMechanism = parsed
        self.saslUsername = saslUsername
        saslPassword = reference
    }

    init() {}

    /// The librdkafka properties, the password read from its reference now.
    func properties(secrets: SecretResolver) throws(KafkaSecurityError) -> [String: String] {
        var properties = ["security.protocol": securityProtocol.rawValue]
        properties["ssl.ca.location"] = certificateAuthority
        properties["ssl.certificate.location"] = certificate
        properties["ssl.key.location"] = key
        if securityProtocol.usesTLS { properties["ssl.endpoint.identification.algorithm"] = "https" }
        if let saslMechanism, let saslUsername, let saslPassword {
            properties["sasl.mechanisms"] = saslMechanism.rawValue
            properties["sasl.username"] = saslUsername
            do {
                properties["sasl.password"] = try secrets.resolve(saslPassword)
            } catch {
                throw KafkaSecurityError("--kafka-sasl-password: \(error.message)")
            }
        }
        return properties
    }
}

/// A Kafka security setting that cannot work, with the flag it concerns.
struct KafkaSecurityError: Error, CustomStringConvertible, Equatable {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
