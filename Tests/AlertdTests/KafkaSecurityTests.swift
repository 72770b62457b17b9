import AlertCore
import Foundation
import Sinks
import Testing

@testable import alertd

/// The Kafka security flags: what librdkafka is given, and the settings refused at start.
@Suite struct KafkaSecurityTests {
    func security(
        _ securityProtocol: String?, ca: String? = nil, certificate: String? = nil, key: String? = nil, mechanism: String? = nil,
        username: String? = nil, password: String? = nil
    ) throws(KafkaSecurityError) -> KafkaSecurity {
        try KafkaSecurity(
            securityProtocol: securityProtocol, certificateAuthority: ca, certificate: certificate, key: key, saslMechanism: mechanism,
            saslUsername: username, saslPassword: password, reading: { !$0.contains("missing") })
    }

    @Test func theDefaultIsPlaintextWithNothingElse() throws {
        #expect(try KafkaSecurity().properties(secrets: SecretResolver(environment: [:])) == ["security.protocol": "plaintext"])
        #expect(try security(nil) == KafkaSecurity())
    }

    @Test func tlsWithAClientCertificate() throws {
        let properties = try security("SSL", ca: "/etc/kafka/ca.pem", certificate: "/etc/kafka/client.pem", key: "/etc/kafka/client.key")
            .properties(secrets: SecretResolver(environment: [:]))
        #expect(
            properties == [
                "security.protocol": "ssl", "ssl.ca.location": "/etc/kafka/ca.pem", "ssl.certificate.location": "/etc/kafka/client.pem",
                "ssl.key.location": "/etc/kafka/client.key", "ssl.endpoint.identification.algorithm": "https",
            ])
    }

    @Test(arguments: ["PLAIN", "SCRAM-SHA-256", "scram-sha-512"])
    func saslOverTLSReadsThePasswordFromItsReference(mechanism: String) throws {
        let settings = try security("sasl_ssl", mechanism: mechanism, username: "alertd", password: "env:KAFKA_PASSWORD")
        let properties = try settings.properties(secrets: SecretResolver(environment: ["KAFKA_PASSWORD": "s3cret"]))
        #expect(properties["security.protocol"] == "sasl_ssl")
        #expect(properties["sasl.mechanisms"] == mechanism.uppercased())
        #expect(properties["sasl.username"] == "alertd")
        #expect(properties["sasl.password"] == "s3cret")
        #expect(!"\(settings)".contains("s3cret"))
        #expect(throws: KafkaSecurityError.self) { try settings.properties(secrets: SecretResolver(environment: [:])) }
    }

    @Test func settingsThatCannotWorkAreRefusedWithTheFlagTheyConcern() {
        let cases: [(() throws(KafkaSecurityError) -> KafkaSecurity, String)] = [
            ({ () throws(KafkaSecurityError) in try security("tls") }, "--kafka-security-protocol must be one of plaintext, ssl, sasl_plaintext, sasl_ssl"),
            ({ () throws(KafkaSecurityError) in try security("plaintext", ca: "/ca.pem") }, "--kafka-ssl-ca needs --kafka-security-protocol ssl"),
            ({ () throws(KafkaSecurityError) in try security("ssl", ca: "/missing/ca.pem") }, "--kafka-ssl-ca /missing/ca.pem cannot be read"),
            ({ () throws(KafkaSecurityError) in try security("ssl", certificate: "/client.pem") }, "--kafka-ssl-certificate and --kafka-ssl-key go together"),
            ({ () throws(KafkaSecurityError) in try security("ssl", username: "alertd") }, "--kafka-sasl-* settings need"),
            ({ () throws(KafkaSecurityError) in try security("sasl_ssl", mechanism: "GSSAPI", username: "a", password: "env:P") }, "--kafka-sasl-mechanism must be one of"),
            ({ () throws(KafkaSecurityError) in try security("sasl_plaintext", mechanism: "PLAIN", password: "env:P") }, "--kafka-sasl-username is required"),
            ({ () throws(KafkaSecurityError) in try security("sasl_ssl", mechanism: "PLAIN", username: "a", password: "hunter2") }, "must be a reference"),
        ]
        for (make, reason) in cases {
            do {
                _ = try make()
                Issue.record("accepted, expected: \(reason)")
            } catch {
                #expect(error.description.contains(reason), "\(error.description)")
            }
        }
    }
}
