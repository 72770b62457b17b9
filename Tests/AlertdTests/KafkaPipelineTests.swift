import AlertCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Kafka
import KafkaPipeline
import Logging
import Testing
import TestSupport

@testable import alertd

/// HTTP → Kafka → router → receiver, Kafka-direct producers and the dead-letter topic, on the
/// real broker `scripts/test.sh` starts (`ALERTD_TEST_KAFKA_BROKERS`).
@Suite(.serialized) struct KafkaPipelineTests {
    let logger = Logger(label: "kafka-pipeline-test")

    static func alert(_ name: String) -> String { #"{"labels": {"alertname": "\#(name)", "service": "checkout", "severity": "critical"}}"# }

    /// The deployment's own topic prefix, so that no other test's topics reach its router.
    static func prefix(_ deployment: TestDeployment) -> String { "pipeline-\(deployment.acme.split(separator: "-").last!)" }

    /// A deployment whose `serve` ingests through the broker at `brokers` with its own group
    /// and topics.
    func settings(_ deployment: TestDeployment, hookPort: Int, brokers: String) throws -> ServeSettings {
        var settings = try deployment.settings(hookPort: hookPort)
        settings.kafka = KafkaSettings(
            brokers: brokers, topicPrefix: Self.prefix(deployment), groupID: "test-\(deployment.acme)", partitions: 2,
            sessionTimeout: .seconds(3), deliveryTimeout: .seconds(3))
        return settings
    }

    @Test func alertsIngestedOverTLSAreRoutedAndDelivered() async throws {
        let brokers = try TestDeployment.environment("ALERTD_TEST_KAFKA_TLS_BROKERS")
        let authority = try TestDeployment.environment("ALERTD_TEST_KAFKA_TLS_CA")
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let receiver = ScriptedReceiver()
        try await receiver.serve { port in
            var settings = try settings(deployment, hookPort: port, brokers: brokers)
            settings.kafka?.security = try KafkaSecurity(
                securityProtocol: "ssl", certificateAuthority: authority, certificate: nil, key: nil, saslMechanism: nil, saslUsername: nil,
                saslPassword: nil)
            let app = try await buildApplication(settings, logger: deployment.logger)
            try await app.test(.live) { client in
                let token = try await deployment.token("acme", "alerts:write")
                #expect(try await post(client, token: token, body: Self.alert("OverTLS")) == .accepted)
                let file = "\(deployment.root)/alert.json"
                try Self.alert("SentOverTLS").write(toFile: file, atomically: true, encoding: .utf8)
                let send = [
                    "send", "--kafka-brokers", brokers, "--kafka-topic-prefix", Self.prefix(deployment), "--tenant", deployment.acme,
                    "--file", file,
                ]
                let (plain, _) = try await PostgresOutageTests.run(PostgresOutageTests.binary, send + ["--kafka-security-protocol", "plaintext"])
                #expect(plain != 0, "alertd send without TLS is refused by the TLS port")
                let (status, output) = try await PostgresOutageTests.run(
                    PostgresOutageTests.binary, send + ["--kafka-security-protocol", "ssl", "--kafka-ssl-ca", authority])
                #expect(status == 0, "alertd send over TLS: \(output)")
                #expect(try await received(receiver, ["OverTLS", "SentOverTLS"]).sorted() == ["OverTLS", "SentOverTLS"])
            }
        }
    }

    func post(_ client: some TestClientProtocol, token: String, body: String) async throws -> HTTPResponse.Status {
        try await client.execute(
            uri: "/v1/alerts", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: ByteBuffer(string: body)
        ).status
    }

    /// `/readyz`: its status and the reasons it gives.
    func readiness(_ client: some TestClientProtocol) async throws -> (HTTPResponse.Status, [String]) {
        let response = try await client.execute(uri: "/readyz", method: .get)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return (response.status, json?["reasons"] as? [String] ?? [])
    }

    /// The alert names the receiver got, once `names` are all there (or after `seconds`).
    func received(_ receiver: ScriptedReceiver, _ names: Set<String>, seconds: Int = 60) async throws -> [String] {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            let got = await receiver.received.compactMap { request -> String? in
                let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any]
                return (((body?["alerts"] as? [[String: Any]])?.first)?["labels"] as? [String: String])?["alertname"]
            }
            if names.isSubset(of: Set(got)) || ContinuousClock.now > deadline { return got }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// The Kafka-direct producer is `alertd send --kafka-brokers`.
    @Test func alertsPostedOverHTTPAndWrittenToTheTopicAreRoutedAndDelivered() async throws {
        let brokers = try TestDeployment.environment("ALERTD_TEST_KAFKA_BROKERS")
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let receiver = ScriptedReceiver()
        try await receiver.serve { port in
            let app = try await buildApplication(try settings(deployment, hookPort: port, brokers: brokers), logger: deployment.logger)
            try await app.test(.live) { client in
                let token = try await deployment.token("acme", "alerts:write")
                #expect(try await post(client, token: token, body: Self.alert("ViaHTTP")) == .accepted)
                let file = "\(deployment.root)/alert.json"
                try Self.alert("ViaKafka").write(toFile: file, atomically: true, encoding: .utf8)
                let (status, output) = try await PostgresOutageTests.run(
                    PostgresOutageTests.binary,
                    ["send", "--kafka-brokers", brokers, "--kafka-topic-prefix", Self.prefix(deployment), "--tenant", deployment.acme, "--file", file])
                #expect(status == 0, "alertd send --kafka-brokers: \(output)")
                let names = try await received(receiver, ["ViaHTTP", "ViaKafka"])
                #expect(names.sorted() == ["ViaHTTP", "ViaKafka"], "each alert is delivered once")
                let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                #expect(metrics.contains(#"alertd_kafka_produce_duration_seconds_count{outcome="acked"} 1"#))
                #expect(metrics.contains(#"alertd_kafka_records_consumed_total{tenant="\#(deployment.acme)"} 2"#))
                #expect(metrics.contains(#"alertd_kafka_consumer_lag{topic="\#(Self.prefix(deployment)).\#(deployment.acme)""#))
            }
        }
    }

    /// The score a producer is told in the `202` is the score the router stores; a record
    /// without alertd's rating (a Kafka-direct producer's) is rated by the router.
    @Test func theRouterStoresTheRatingIngestAnsweredWith() async throws {
        let brokers = try TestDeployment.environment("ALERTD_TEST_KAFKA_BROKERS")
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        try await ScriptedReceiver().serve { port in
            let app = try await buildApplication(try settings(deployment, hookPort: port, brokers: brokers), logger: deployment.logger)
            try await app.test(.live) { client in
                let token = try await deployment.token("acme", "alerts:write", "alerts:read")
                let stored: @Sendable (String) async throws -> Double? = { fingerprint in
                    let response = try await client.execute(uri: "/v1/alerts/\(fingerprint)", method: .get, headers: [.authorization: "Bearer \(token)"])
                    guard response.status == .ok else { return nil }
                    let alert = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    return (alert?["rating"] as? [String: Any])?["score"] as? Double
                }
                let answer = try await client.execute(
                    uri: "/v1/alerts", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                    body: ByteBuffer(string: Self.alert("ViaHTTP")))
                #expect(answer.status == .accepted)
                let rated = try #require((try JSONSerialization.jsonObject(with: Data(buffer: answer.body)) as? [String: Any])?["alerts"] as? [[String: Any]])
                let httpFingerprint = try #require(rated.first?["fingerprint"] as? String)
                let answered = try #require(rated.first?["score"] as? Double)
                let storedOverHTTP = try await eventually(seconds: 30) { try await stored(httpFingerprint) != nil }
                #expect(storedOverHTTP)
                #expect(try await stored(httpFingerprint) == answered)

                let topic = "\(Self.prefix(deployment)).\(deployment.acme)"
                let producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: brokers), logger: logger)
                let carried = #"{"score": 0.125, "priority": "P5", "urgent": false, "factors": []}"#
                try await producer.send(
                    topic: topic, key: nil, value: Array(Self.alert("Carried").utf8), headers: [("tenant", deployment.acme), ("alertd-rating", carried)])
                try await producer.send(topic: topic, key: nil, value: Array(Self.alert("Uncarried").utf8), headers: [("tenant", deployment.acme)])
                try await producer.send(
                    topic: topic, key: nil, value: Array(Self.alert("Overrated").utf8),
                    headers: [("tenant", deployment.acme), ("alertd-rating", #"{"score": 7, "priority": "P1", "urgent": true, "factors": []}"#)])
                await producer.shutdown()
                let fingerprint: (String) -> String = { name in
                    Fingerprint(labels: ["alertname": name, "service": "checkout", "severity": "critical"]).rawValue
                }
                let consumed = try await eventually(seconds: 30) {
                    for name in ["Carried", "Uncarried", "Overrated"] where try await stored(fingerprint(name)) == nil { return false }
                    return true
                }
                #expect(consumed)
                #expect(try await stored(fingerprint("Carried")) == 0.125, "a carried rating is stored as it is")
                #expect(try await stored(fingerprint("Uncarried")) == answered, "without one, the router rates the alert itself")
                #expect(try await stored(fingerprint("Overrated")) == answered, "a carried score outside [0, 1] is not trusted")
            }
        }
    }

    @Test func recordsTheRouterCannotProcessGoToTheDeadLetterTopicWithTheirReason() async throws {
        let brokers = try TestDeployment.environment("ALERTD_TEST_KAFKA_BROKERS")
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let configuration = KafkaConfiguration(brokers: brokers)
        let stranger = "nobody-\(deployment.acme.split(separator: "-").last!)"
        let prefix = Self.prefix(deployment)
        let topic = "\(prefix).\(deployment.acme)"
        try await KafkaTopicAdmin(configuration: configuration, logger: logger).createTopics([topic, "\(prefix).\(stranger)"], partitions: 1)
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        try await producer.send(topic: topic, key: nil, value: Array("not json".utf8))
        try await producer.send(topic: topic, key: nil, value: Array(Self.alert("Foreign").utf8), headers: [("tenant", deployment.globex)])
        try await producer.send(topic: topic, key: nil, value: Array(#"{"tenant": "\#(deployment.globex)", "labels": {"alertname": "Claimed"}}"#.utf8))
        try await producer.send(topic: topic, key: nil, value: Array(#"{"labels": {"service": "nameless"}}"#.utf8))
        try await producer.send(topic: "\(prefix).\(stranger)", key: nil, value: Array(Self.alert("Stranger").utf8))
        try await producer.send(topic: topic, key: nil, value: Array(Self.alert("AfterTheBadOnes").utf8))
        await producer.shutdown()

        let receiver = ScriptedReceiver()
        try await receiver.serve { port in
            let app = try await buildApplication(try settings(deployment, hookPort: port, brokers: brokers), logger: deployment.logger)
            try await app.test(.live) { client in
                let names = try await received(receiver, ["AfterTheBadOnes"])
                #expect(names == ["AfterTheBadOnes"], "bad records do not block their partition and are not delivered")
                // A batch's accepted records are routed before its refused ones are dead-lettered.
                let counted = [
                    #"alertd_kafka_records_dead_lettered_total{tenant="\#(deployment.acme)"} 4"#,
                    #"alertd_kafka_records_dead_lettered_total{tenant="unknown"} 1"#,
                ]
                var metrics = ""
                let deadLettered = try await eventually(seconds: 20) {
                    metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
                    return counted.allSatisfy { metrics.contains($0) }
                }
                #expect(deadLettered, "\(metrics.split(separator: "\n").filter { $0.contains("dead_lettered") })")
            }
        }

        let consumer = try KafkaConsumer(configuration: configuration, groupID: "dlq-\(deployment.acme)", sessionTimeout: .seconds(3), logger: logger)
        try consumer.subscribe(["\(topic).dlq", "\(prefix).\(stranger).dlq"])
        var reasons: [String: [String]] = [:]
        let deadline = ContinuousClock.now + .seconds(60)
        for await message in consumer.messages {
            reasons[message.topic, default: []].append(message.header("dlq-reason") ?? "")
            #expect(message.header("dlq-topic") != nil && message.header("dlq-offset") != nil)
            if reasons.values.map(\.count).reduce(0, +) == 5 || ContinuousClock.now > deadline { break }
        }
        await consumer.close()
        let own = reasons["\(topic).dlq"] ?? []
        #expect(own.count == 4)
        #expect(own.filter { $0.hasPrefix("undecodable alert: ") }.count == 2, "the garbage and the alert without alertname")
        #expect(own.contains { $0.contains("tenant header names \(deployment.globex)") })
        #expect(own.contains { $0.contains("names tenant \(deployment.globex)") })
        #expect(own.contains { $0.contains("labels.alertname") })
        #expect(reasons["\(prefix).\(stranger).dlq"]?.first?.contains("no tenant is loaded") == true)
    }

    @Test func ingestAnswers503WhileTheBrokerIsDownAndRecoversWhenItIsBack() async throws {
        let brokers = try TestDeployment.environment("ALERTD_TEST_OUTAGE_KAFKA_BROKERS")
        let control = try TestDeployment.environment("ALERTD_TEST_OUTAGE_KAFKA_CTL")
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let app = try await buildApplication(try settings(deployment, hookPort: 1, brokers: brokers), logger: deployment.logger)
        try await app.test(.router) { client in
            let token = try await deployment.token("acme", "alerts:write")
            var first: HTTPResponse.Status?
            for _ in 0..<50 where first != .accepted {
                first = try await post(client, token: token, body: Self.alert("BeforeOutage"))
                if first != .accepted { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(first == .accepted)
            let joined = try await eventually(seconds: 30) { try await readiness(client).0 == .ok }
            let waiting = try await readiness(client).1
            #expect(joined, "ready once the router's consumer joined its group: \(waiting)")

            let (stopped, _) = try await PostgresOutageTests.run("/bin/bash", ["-c", "\(control) stop >/dev/null 2>&1"], capture: false)
            #expect(stopped == 0)
            let during = try await client.execute(
                uri: "/v1/alerts", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: Self.alert("DuringOutage")))
            #expect(during.status == .serviceUnavailable)
            #expect(during.headers[.retryAfter] != nil)
            let (notReady, reasons) = try await readiness(client)
            #expect(notReady == .serviceUnavailable)
            #expect(reasons.contains("the Kafka broker does not answer"), "\(reasons)")

            let (started, _) = try await PostgresOutageTests.run("/bin/bash", ["-c", "\(control) start >/dev/null 2>&1"], capture: false)
            #expect(started == 0)
            // The test broker keeps no topics across a restart; a real cluster does.
            try await KafkaTopicAdmin(configuration: KafkaConfiguration(brokers: brokers), logger: logger).createTopics(
                ["\(Self.prefix(deployment)).\(deployment.acme)"], partitions: 2)
            var after: HTTPResponse.Status?
            for _ in 0..<60 where after != .accepted {
                after = try await post(client, token: token, body: Self.alert("AfterOutage"))
                if after != .accepted { try await Task.sleep(for: .seconds(1)) }
            }
            #expect(after == .accepted)
            #expect(try await eventually(seconds: 30) { try await readiness(client).0 == .ok }, "ready again")
        }
    }
}
