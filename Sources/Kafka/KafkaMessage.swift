/// A record read from a topic.
public struct KafkaMessage: Sendable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    public var key: [UInt8]?
    public var value: [UInt8]
    /// Headers in record order; a name may repeat.
    public var headers: [(name: String, value: [UInt8])]

    public init(topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8], headers: [(name: String, value: [UInt8])]) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.headers = headers
    }

    /// The first header named `name`, as UTF-8 text.
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name }.map { String(decoding: $0.value, as: UTF8.self) }
    }
}

extension KafkaMessage {
    /// The message of each partition with the highest offset among `messages`.
    public static func lastOfEachPartition(_ messages: [KafkaMessage]) -> [KafkaMessage] {
        var last: [PartitionKey: KafkaMessage] = [:]
        for message in messages {
            let key = PartitionKey(topic: message.topic, partition: message.partition)
            if let kept = last[key], kept.offset >= message.offset { continue }
            last[key] = message
        }
        return Array(last.values)
    }
}

/// A topic's partition.
struct PartitionKey: Hashable {
    var topic: String
    var partition: Int32
}
