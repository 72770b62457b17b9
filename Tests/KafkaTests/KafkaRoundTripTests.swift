import Foundation
import Kafka
import Logging
import TestSupport
import Testing

/// The wrapper against the real broker `scripts/test.sh` starts (`ALERTD_TEST_KAFKA_BROKERS`).
@Suite(.serialized) struct KafkaRoundTripTests {
    let logger = Logger(label: "kafka-test")

    static func brokers() throws -> KafkaConfiguration {
        KafkaConfiguration(brokers: try TestServices.value("ALERTD_TEST_KAFKA_BROKERS"))
    }

    /// Reads `count` messages, failing after `seconds`.
    func read(_ count: Int, from consumer: KafkaConsumer, seconds: Int = 60) async throws -> [KafkaMessage] {
        try await within(seconds, "no \(count) messages") {
            var messages: [KafkaMessage] = []
            for await message in consumer.messages {
                messages.append(message)
                if messages.count == count { break }
            }
            return messages
        }
    }

    /// Reads batches until they hold `count` messages, failing after `seconds`.
    func readBatches(_ count: Int, limit: Int, from consumer: KafkaConsumer, seconds: Int = 60) async throws -> [[KafkaMessage]] {
        try await within(seconds, "no \(count) messages") {
            var batches: [[KafkaMessage]] = []
            for await batch in consumer.batches(limit: limit) {
                batches.append(batch)
                if batches.joined().count >= count { break }
            }
            return batches
        }
    }

    /// `body`'s result, or a failure saying `what` after `seconds`.
    func within<T: Sendable>(_ seconds: Int, _ what: String, _ body: @escaping @Sendable () async -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { await body() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                throw TestFailure("\(what) within \(seconds) s")
            }
            defer { group.cancelAll() }
            return try #require(try await group.next())
        }
    }

    @Test func recordsRoundTripWithHeadersAndStoredOffsetsSurviveAConsumerRestart() async throws {
        let configuration = try Self.brokers()
        let topic = "alerts.wrapper-\(UUID().uuidString.prefix(8).lowercased())"
        let group = "wrapper-\(UUID().uuidString.prefix(8))"
        try await KafkaTopicAdmin(configuration: configuration, logger: logger).createTopics([topic], partitions: 1)
        try await KafkaTopicAdmin(configuration: configuration, logger: logger).createTopics([topic], partitions: 1)

        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        for index in 1...5 {
            try await producer.send(
                topic: topic, key: Array("key-\(index)".utf8), value: Array("value-\(index)".utf8),
                headers: [("tenant", "acme"), ("traceparent", "00-\(index)")])
        }
        await producer.shutdown()

        let first = try KafkaConsumer(configuration: configuration, groupID: group, sessionTimeout: .seconds(6), logger: logger)
        try first.subscribe([topic])
        let messages = try await read(5, from: first)
        #expect(messages.map { String(decoding: $0.value, as: UTF8.self) } == (1...5).map { "value-\($0)" })
        #expect(messages.map { $0.key.map { String(decoding: $0, as: UTF8.self) } } == (1...5).map { "key-\($0)" })
        #expect(messages.allSatisfy { $0.header("tenant") == "acme" && $0.topic == topic })
        #expect(messages.map { $0.header("traceparent") } == (1...5).map { "00-\($0)" })
        for message in messages.prefix(3) { try first.storeOffset(message) }
        await first.close()

        let second = try KafkaConsumer(configuration: configuration, groupID: group, sessionTimeout: .seconds(6), logger: logger)
        try second.subscribe([topic])
        let rest = try await read(2, from: second)
        #expect(rest.map { String(decoding: $0.value, as: UTF8.self) } == ["value-4", "value-5"], "stored offsets are not read again; unstored ones are")
        let admin = try KafkaTopicAdmin(configuration: configuration, logger: logger)
        #expect(try await admin.memberCount(ofGroup: group) == 1)
        await second.close()
        #expect(try await admin.memberCount(ofGroup: group) == 0, "close leaves the group")
    }

    @Test func batchesHoldWhatIsFetchedUpToTheLimitAndStoredOffsetsCountPerPartition() async throws {
        let configuration = try Self.brokers()
        let topic = "alerts.batches-\(UUID().uuidString.prefix(8).lowercased())"
        let group = "batches-\(UUID().uuidString.prefix(8))"
        try await KafkaTopicAdmin(configuration: configuration, logger: logger).createTopics([topic], partitions: 2)
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { sends in
            for index in 1...40 {
                sends.addTask {
                    try await producer.send(topic: topic, key: Array("key-\(index % 4)".utf8), value: Array("\(index)".utf8))
                }
            }
            try await sends.waitForAll()
        }
        await producer.shutdown()

        let first = try KafkaConsumer(configuration: configuration, groupID: group, sessionTimeout: .seconds(6), logger: logger)
        try first.subscribe([topic])
        let batches = try await readBatches(40, limit: 7, from: first)
        let messages = Array(batches.joined())
        #expect(batches.allSatisfy { !$0.isEmpty && $0.count <= 7 }, "batch sizes: \(batches.map(\.count))")
        #expect(batches.count < 40, "records already fetched come together: \(batches.map(\.count))")
        #expect(Set(messages.map { String(decoding: $0.value, as: UTF8.self) }) == Set((1...40).map { "\($0)" }))
        for partition in Set(messages.map(\.partition)) {
            let offsets = messages.filter { $0.partition == partition }.map(\.offset)
            #expect(offsets == offsets.sorted(), "partition \(partition) in order")
        }
        // Processed: everything but the last record of each partition.
        let lastOffsets = Dictionary(grouping: messages, by: \.partition).mapValues { $0.map(\.offset).max()! }
        let processed = messages.filter { $0.offset != lastOffsets[$0.partition] }
        try first.storeOffsets(of: processed.shuffled())
        await first.close()

        let second = try KafkaConsumer(configuration: configuration, groupID: group, sessionTimeout: .seconds(6), logger: logger)
        try second.subscribe([topic])
        let rest = Array(try await readBatches(lastOffsets.count, limit: 100, from: second).joined())
        #expect(
            Set(rest.map { "\($0.partition):\($0.offset)" }) == Set(lastOffsets.map { "\($0.key):\($0.value)" }),
            "only each partition's unstored last record is read again")
        await second.close()
    }

    @Test func aRegexSubscriptionReadsEveryMatchingTopicButNotTheOthers() async throws {
        let configuration = try Self.brokers()
        let suffix = UUID().uuidString.prefix(6).lowercased()
        let topics = ["alerts.rx\(suffix)-a", "alerts.rx\(suffix)-b", "alerts.rx\(suffix)-a.dlq"]
        try await KafkaTopicAdmin(configuration: configuration, logger: logger).createTopics(topics, partitions: 2)
        let producer = try KafkaProducer(configuration: configuration, logger: logger)
        for topic in topics { try await producer.send(topic: topic, key: nil, value: Array(topic.utf8)) }
        await producer.shutdown()

        let consumer = try KafkaConsumer(configuration: configuration, groupID: "rx-\(suffix)", sessionTimeout: .seconds(6), logger: logger)
        try consumer.subscribe(["^alerts\\.rx\(suffix)-[a-z]+$"])
        let messages = try await read(2, from: consumer)
        #expect(Set(messages.map(\.topic)) == Set(topics.prefix(2)))
        await consumer.close()
    }

    @Test func sendingWithoutABrokerFailsWithinTheDeliveryTimeout() async throws {
        let producer = try KafkaProducer(
            configuration: KafkaConfiguration(brokers: "127.0.0.1:1"), deliveryTimeout: .seconds(2), logger: logger)
        await #expect(throws: KafkaError.self) {
            try await producer.send(topic: "alerts.nowhere", key: nil, value: Array("x".utf8))
        }
        await producer.shutdown(timeout: .seconds(1))
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
