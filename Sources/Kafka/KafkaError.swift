import CRdKafka

/// A failure reported by librdkafka or by the wrapper, with librdkafka's error code when
/// there is one.
public struct KafkaError: Error, CustomStringConvertible, Sendable {
    /// librdkafka's `rd_kafka_resp_err_t` value, or nil for the wrapper's own failures.
    public var code: Int32?
    public var message: String

    public var description: String {
        code.map { "Kafka error \($0): \(message)" } ?? "Kafka error: \(message)"
    }

    init(code: rd_kafka_resp_err_t, context: String) {
        self.code = code.rawValue
        self.message = "\(context): \(String(cString: rd_kafka_err2str(code)))"
    }

    init(_ message: String) {
        self.code = nil
        self.message = message
    }

    /// The message timed out in the producer's queue, e.g. because no broker answered.
    public var isTimeout: Bool {
        code == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue || code == RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue
    }
}
