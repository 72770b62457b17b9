import CRdKafka
import Logging
import Synchronization

/// Owns one `rd_kafka_t` and its main queue; destroys both when released.
final class RDKafkaClient: @unchecked Sendable {
    enum Kind {
        case producer
        case consumer
    }

    let handle: OpaquePointer
    let mainQueue: OpaquePointer
    let logger: Logger
    private let lastError = Mutex<(text: String, at: ContinuousClock.Instant)?>(nil)

    /// Creates the client; its logs and (for producers) delivery reports arrive as events on
    /// `mainQueue` (`events` is an `RD_KAFKA_EVENT_*` mask).
    init(_ kind: Kind, properties: [String: String], events: Int32, logger: Logger) throws {
        let conf = rd_kafka_conf_new()
        var errorText = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            guard rd_kafka_conf_set(conf, key, value, &errorText, errorText.count) == RD_KAFKA_CONF_OK else {
                rd_kafka_conf_destroy(conf)
                throw KafkaError("configuration \(key): \(errorText.nulTerminatedText)")
            }
        }
        rd_kafka_conf_set_events(conf, events)
        guard let handle = rd_kafka_new(kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER, conf, &errorText, errorText.count)
        else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError("cannot create a client: \(errorText.nulTerminatedText)")
        }
        if kind == .consumer { rd_kafka_poll_set_consumer(handle) }
        self.handle = handle
        self.mainQueue = rd_kafka_queue_get_main(handle)
        self.logger = logger
        rd_kafka_set_log_queue(handle, mainQueue)
    }

    deinit {
        rd_kafka_queue_destroy(mainQueue)
        rd_kafka_destroy(handle)
    }

    /// Reports an error event once: the same error again within 30 seconds (a broker that
    /// stays down) is logged at debug level only.
    func reportError(_ event: OpaquePointer, role: String) {
        let text = String(cString: rd_kafka_event_error_string(event))
        let now = ContinuousClock.now
        let repeated = lastError.withLock { last -> Bool in
            if let last, last.text == text, now - last.at <= .seconds(30) { return true }
            last = (text, now)
            return false
        }
        if repeated {
            logger.debug("Kafka \(role): \(text)")
        } else {
            logger.warning("Kafka \(role): \(text)")
        }
    }

    /// Forwards a log event to `logger` at debug level (errors also arrive as error events,
    /// which `reportError` logs); only critical conditions are logged as errors.
    func log(_ event: OpaquePointer) {
        var facility: UnsafePointer<CChar>?
        var text: UnsafePointer<CChar>?
        var level: Int32 = 0
        guard rd_kafka_event_log(event, &facility, &text, &level) == 0 else { return }
        let message = text.map { String(cString: $0) } ?? ""
        let metadata: Logger.Metadata = ["facility": "\(facility.map { String(cString: $0) } ?? "")"]
        if level <= 2 {
            logger.error("librdkafka: \(message)", metadata: metadata)
        } else {
            logger.debug("librdkafka: \(message)", metadata: metadata)
        }
    }
}

extension [CChar] {
    /// The text of a NUL-terminated buffer librdkafka wrote an error into.
    var nulTerminatedText: String {
        String(decoding: prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
