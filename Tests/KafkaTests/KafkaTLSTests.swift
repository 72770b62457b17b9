import Foundation
import Kafka
import Logging
import TestSupport
import Testing

/// The wrapper over TLS, against the broker `scripts/test.sh` puts behind a TLS proxy
/// (`ALERTD_TEST_KAFKA_TLS_BROKERS`, its authority in `ALERTD_TEST_KAFKA_TLS_CA`, next to
/// `wrong-ca.pem`, an authority that signed nothing of the proxy's).
@Suite(.serialized) struct KafkaTLSTests {
    let logger = Logger(label: "kafka-tls-test")

    static func environment(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try TestServices.value(name, sourceLocation: sourceLocation)
    }

    static func configuration(authority: String?) throws -> KafkaConfiguration {
        var properties = ["security.protocol": "ssl"]
        properties["ssl.ca.location"] = authority
        return KafkaConfiguration(brokers: try environment("ALERTD_TEST_KAFKA_TLS_BROKERS"), properties: properties)
    }

    @Test func recordsRoundTripOverTLSCheckedAgainstTheBrokersAuthority() async throws {
        let configuration = try Self.configuration(authority: try Self.environment("ALERTD_TEST_KAFKA_TLS_CA"))
        let topic = "alerts.tls-\(UUID().uuidString.prefix(8).lowercased())"
        try await KafkaTopicAdmin(configuration: configuration, logger: logger).createTopics([topic], partitions: 1)
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        try await producer.send(topic: topic, key: nil, value: Array("over TLS".utf8), headers: [("tenant", "acme")])
        await producer.shutdown()
        let consumer = try KafkaConsumer(
            configuration: configuration, groupID: "tls-\(UUID().uuidString.prefix(8))", sessionTimeout: .seconds(6), logger: logger)
        try consumer.subscribe([topic])
        let messages = try await KafkaRoundTripTests().read(1, from: consumer)
        #expect(messages.map { String(decoding: $0.value, as: UTF8.self) } == ["over TLS"])
        #expect(messages.first?.header("tenant") == "acme")
        await consumer.close()
    }

    @Test func anotherAuthorityIsRefused() async throws {
        let authority = try Self.environment("ALERTD_TEST_KAFKA_TLS_CA")
        let wrong = URL(fileURLWithPath: authority).deletingLastPathComponent().appendingPathComponent("wrong-ca.pem").path
        try await expectRefused(try Self.configuration(authority: wrong))
    }

    @Test func plaintextToTheTLSPortIsRefused() async throws {
        try await expectRefused(KafkaConfiguration(brokers: try Self.environment("ALERTD_TEST_KAFKA_TLS_BROKERS")))
    }

    /// A record sent with `configuration` is never acknowledged: the send fails within its
    /// delivery timeout.
    func expectRefused(_ configuration: KafkaConfiguration) async throws {
        let producer = try KafkaProducer(configuration: configuration, deliveryTimeout: .seconds(3), logger: logger)
        await #expect(throws: KafkaError.self) {
            try await producer.send(topic: "alerts.tls-refused", key: nil, value: Array("x".utf8))
        }
        await producer.shutdown(timeout: .seconds(1))
    }
}
