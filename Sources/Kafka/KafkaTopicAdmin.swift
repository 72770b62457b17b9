import CRdKafka
import Foundation
import Logging

/// Creates topics (creating a topic that exists already succeeds) and describes consumer groups.
public final class KafkaTopicAdmin: Sendable {
    let client: RDKafkaClient

    public init(configuration: KafkaConfiguration, logger: Logger) throws {
        client = try RDKafkaClient(.producer, properties: configuration.merged([:]), events: RD_KAFKA_EVENT_NONE, logger: logger)
    }

    /// Creates each of `names` with `partitions` partitions unless it exists.
    public func createTopics(_ names: [String], partitions: Int, replicationFactor: Int = 1, timeout: Duration = .seconds(10)) async throws {
        let milliseconds = Int32(timeout.components.seconds * 1_000)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async { [client] in
                continuation.resume(with: Result { try Self.create(names, partitions, replicationFactor, milliseconds, client) })
            }
        }
    }

    /// Throws unless a broker answers a metadata request within `timeout`.
    public func ping(timeout: Duration = .seconds(2)) async throws {
        let milliseconds = Int32(timeout.components.seconds * 1_000 + timeout.components.attoseconds / 1_000_000_000_000_000)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            DispatchQueue.global().async { [client] in
                var metadata: UnsafePointer<rd_kafka_metadata>?
                let result = rd_kafka_metadata(client.handle, 0, nil, &metadata, milliseconds)
                if let metadata { rd_kafka_metadata_destroy(metadata) }
                guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
                    continuation.resume(throwing: KafkaError(code: result, context: "broker metadata"))
                    return
                }
                continuation.resume()
            }
        }
    }

    /// How many members consumer group `group` has now, as its coordinator reports it.
    public func memberCount(ofGroup group: String, timeout: Duration = .seconds(10)) async throws -> Int {
        let milliseconds = Int32(timeout.components.seconds * 1_000)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
            DispatchQueue.global().async { [client] in
                var list: UnsafePointer<rd_kafka_group_list>?
                let result = rd_kafka_list_groups(client.handle, group, &list, milliseconds)
                guard result == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
                    continuation.resume(throwing: KafkaError(code: result, context: "describe group \(group)"))
                    return
                }
                defer { rd_kafka_group_list_destroy(list) }
                let groups = UnsafeBufferPointer(start: list.pointee.groups, count: Int(list.pointee.group_cnt))
                continuation.resume(returning: groups.first { String(cString: $0.group) == group }.map { Int($0.member_cnt) } ?? 0)
            }
        }
    }

    private static func create(_ names: [String], _ partitions: Int, _ replication: Int, _ milliseconds: Int32, _ client: RDKafkaClient) throws {
        var errorText = [CChar](repeating: 0, count: 512)
        var topics: [OpaquePointer?] = []
        defer { for topic in topics { rd_kafka_NewTopic_destroy(topic) } }
        for name in names {
            guard let topic = rd_kafka_NewTopic_new(name, Int32(partitions), Int32(replication), &errorText, errorText.count) else {
                throw KafkaError("topic \(name): \(errorText.nulTerminatedText)")
            }
            topics.append(topic)
        }
        let options = rd_kafka_AdminOptions_new(client.handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        _ = rd_kafka_AdminOptions_set_request_timeout(options, milliseconds, &errorText, errorText.count)
        let queue = rd_kafka_queue_new(client.handle)
        defer { rd_kafka_queue_destroy(queue) }
        topics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(client.handle, buffer.baseAddress, buffer.count, options, queue)
        }
        guard let event = rd_kafka_queue_poll(queue, milliseconds + 1_000) else {
            throw KafkaError("creating topics \(names) timed out")
        }
        defer { rd_kafka_event_destroy(event) }
        let failure = rd_kafka_event_error(event)
        guard failure == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code: failure, context: "create topics \(names)") }
        guard let result = rd_kafka_event_CreateTopics_result(event) else { throw KafkaError("no CreateTopics result") }
        var count = 0
        guard let results = rd_kafka_CreateTopics_result_topics(result, &count) else { return }
        for index in 0..<count {
            let error = rd_kafka_topic_result_error(results[index])
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR || error == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS else {
                throw KafkaError(code: error, context: "create topic \(String(cString: rd_kafka_topic_result_name(results[index])))")
            }
        }
    }
}
