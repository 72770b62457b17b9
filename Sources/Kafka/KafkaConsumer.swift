import CRdKafka
import Foundation
import Logging
import Synchronization

/// A consumer in a consumer group. Messages are pulled one at a time through `messages`, or
/// as many as are already fetched through `batches(limit:)` (librdkafka's prefetch limit is
/// the backpressure); offsets are stored only when `storeOffset` or `storeOffsets` is called
/// after the messages are processed, and committed in the background and on `close`. Polls
/// run on the consumer's own dispatch queue, never on the Swift concurrency pool.
public final class KafkaConsumer: Sendable {
    let client: RDKafkaClient
    private let pollQueue = DispatchQueue(label: "kafka-consumer-poll")
    private let closed = Atomic<Bool>(false)

    /// `sessionTimeout` is librdkafka's `session.timeout.ms`; `metadataRefresh` how often
    /// topics matching a regex subscription are looked for. `rebalanceTimeout` is
    /// `max.poll.interval.ms`: how long a rebalance waits for a member (so a member that died
    /// without leaving delays a restarted one by at most this), and how long processing one
    /// message may take before the consumer gives its partitions to the group.
    public init(
        configuration: KafkaConfiguration, groupID: String, sessionTimeout: Duration = .seconds(10),
        rebalanceTimeout: Duration = .seconds(60), metadataRefresh: Duration = .seconds(5), logger: Logger
    ) throws {
        let properties = configuration.merged([
            "group.id": groupID,
            "enable.auto.offset.store": "false",
            "enable.auto.commit": "true",
            "auto.commit.interval.ms": "1000",
            "auto.offset.reset": "earliest",
            "session.timeout.ms": "\(sessionTimeout.components.seconds * 1_000)",
            "heartbeat.interval.ms": "\(max(sessionTimeout.components.seconds * 1_000 / 3, 100))",
            "max.poll.interval.ms": "\(max(rebalanceTimeout, sessionTimeout).components.seconds * 1_000)",
            "topic.metadata.refresh.interval.ms": "\(metadataRefresh.components.seconds * 1_000)",
        ])
        client = try RDKafkaClient(.consumer, properties: properties, events: RD_KAFKA_EVENT_FETCH | RD_KAFKA_EVENT_LOG | RD_KAFKA_EVENT_ERROR, logger: logger)
    }

    /// Subscribes to `topics`; a name starting with `^` is a regex over topic names.
    public func subscribe(_ topics: [String]) throws {
        let list = rd_kafka_topic_partition_list_new(Int32(topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in topics { rd_kafka_topic_partition_list_add(list, topic, -1) }
        let result = rd_kafka_subscribe(client.handle, list)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(code: result, context: "subscribe to \(topics)") }
    }

    /// The subscribed messages, in partition order, until the consumer closes.
    public var messages: Messages { Messages(consumer: self) }

    /// The subscribed messages in batches of at most `limit` (at least one), in partition
    /// order, until the consumer closes. A batch never waits for a message not yet fetched.
    public func batches(limit: Int) -> Batches { Batches(consumer: self, limit: max(limit, 1)) }

    /// Marks `message` processed: its offset (plus one) is committed with the next commit.
    public func storeOffset(_ message: KafkaMessage) throws {
        try storeOffsets(of: [message])
    }

    /// Marks `messages` processed: for each partition, the offset after the last of them is
    /// committed with the next commit.
    public func storeOffsets(of messages: [KafkaMessage]) throws {
        let last = KafkaMessage.lastOfEachPartition(messages)
        guard !last.isEmpty else { return }
        let list = rd_kafka_topic_partition_list_new(Int32(last.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for message in last {
            rd_kafka_topic_partition_list_add(list, message.topic, message.partition).pointee.offset = message.offset + 1
        }
        let result = rd_kafka_offsets_store(client.handle, list)
        guard result == RD_KAFKA_RESP_ERR_NO_ERROR else {
            let offsets = last.map { "\($0.topic)[\($0.partition)] \($0.offset)" }.sorted().joined(separator: ", ")
            throw KafkaError(code: result, context: "store offsets \(offsets)")
        }
    }

    /// How many records of the message's partition follow it, by the end offset librdkafka
    /// last saw for that partition (no broker round trip); nil when it has seen none.
    public func lag(after message: KafkaMessage) -> Int64? {
        var low: Int64 = 0
        var high: Int64 = 0
        guard rd_kafka_get_watermark_offsets(client.handle, message.topic, message.partition, &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR,
            high >= 0
        else { return nil }
        return max(high - message.offset - 1, 0)
    }

    /// Whether the consumer is a member of its group now (the coordinator gave it a member id).
    public var hasJoinedGroup: Bool {
        guard let id = rd_kafka_memberid(client.handle) else { return false }
        defer { rd_kafka_mem_free(client.handle, id) }
        return id.pointee != 0
    }

    /// Commits the stored offsets and leaves the group; `messages` ends.
    public func close() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            pollQueue.async { [client] in
                let result = rd_kafka_consumer_close(client.handle)
                if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                    client.logger.warning("Kafka consumer close: \(String(cString: rd_kafka_err2str(result)))")
                }
                continuation.resume()
            }
        }
    }

    /// Waits on the poll queue for the next message, then takes the messages librdkafka
    /// already holds, up to `limit` in all, without waiting for more; empty once closed or
    /// cancelled.
    func next(limit: Int, cancelled: CancellationFlag) async -> [KafkaMessage] {
        await withCheckedContinuation { (continuation: CheckedContinuation<[KafkaMessage], Never>) in
            pollQueue.async { [self] in
                var messages: [KafkaMessage] = []
                while messages.count < limit, !closed.load(ordering: .acquiring), !cancelled.value.load(ordering: .acquiring) {
                    guard let event = rd_kafka_queue_poll(client.mainQueue, messages.isEmpty ? 100 : 0) else {
                        if messages.isEmpty { continue }
                        break
                    }
                    defer { rd_kafka_event_destroy(event) }
                    switch rd_kafka_event_type(event) {
                    case RD_KAFKA_EVENT_FETCH:
                        guard let message = rd_kafka_event_message_next(event) else { continue }
                        if message.pointee.err == RD_KAFKA_RESP_ERR_NO_ERROR {
                            messages.append(KafkaMessage(copying: message))
                        } else if message.pointee.err != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                            client.logger.warning("Kafka fetch: \(String(cString: rd_kafka_err2str(message.pointee.err)))")
                        }
                    case RD_KAFKA_EVENT_LOG: client.log(event)
                    case RD_KAFKA_EVENT_ERROR: client.reportError(event, role: "consumer")
                    default: break
                    }
                }
                continuation.resume(returning: messages)
            }
        }
    }

    /// A pull-based sequence: each `next()` waits for one message.
    public struct Messages: AsyncSequence, Sendable {
        public typealias Element = KafkaMessage
        let consumer: KafkaConsumer

        public func makeAsyncIterator() -> Iterator { Iterator(consumer: consumer) }

        public struct Iterator: AsyncIteratorProtocol {
            let consumer: KafkaConsumer

            public mutating func next() async -> KafkaMessage? {
                await consumer.next(limit: 1).first
            }
        }
    }

    /// A pull-based sequence of batches: each `next()` waits for one message and adds those
    /// already fetched, up to the batch limit, in partition order.
    public struct Batches: AsyncSequence, Sendable {
        public typealias Element = [KafkaMessage]
        let consumer: KafkaConsumer
        let limit: Int

        public func makeAsyncIterator() -> Iterator { Iterator(consumer: consumer, limit: limit) }

        public struct Iterator: AsyncIteratorProtocol {
            let consumer: KafkaConsumer
            let limit: Int

            public mutating func next() async -> [KafkaMessage]? {
                let batch = await consumer.next(limit: limit)
                return batch.isEmpty ? nil : batch
            }
        }
    }

    private func next(limit: Int) async -> [KafkaMessage] {
        let cancelled = CancellationFlag()
        return await withTaskCancellationHandler {
            await next(limit: limit, cancelled: cancelled)
        } onCancel: {
            cancelled.value.store(true, ordering: .releasing)
        }
    }
}

/// Shares one atomic flag between a cancellation handler and the poll loop.
final class CancellationFlag: Sendable {
    let value = Atomic<Bool>(false)
}
