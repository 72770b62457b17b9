import CRdKafka
import Foundation
import Logging
import Synchronization

/// One librdkafka producer instance: its delivery reports and logs are served by a dedicated
/// thread, so no blocking call runs on the Swift concurrency pool.
final class RDKafkaProducerSession: Sendable {
    let client: RDKafkaClient
    private let pending = Mutex<[UInt: CheckedContinuation<Void, any Error>]>([:])
    private let nextID = Atomic<UInt>(1)
    private let running = Atomic<Bool>(true)
    private let stopped = DispatchSemaphore(value: 0)

    init(properties: [String: String], logger: Logger) throws {
        client = try RDKafkaClient(
            .producer, properties: properties, events: RD_KAFKA_EVENT_DR | RD_KAFKA_EVENT_LOG | RD_KAFKA_EVENT_ERROR, logger: logger)
        let thread = Thread { [self] in serveEvents() }
        thread.name = "kafka-producer-events"
        thread.start()
    }

    /// Whether librdkafka gave up on this instance (e.g. the broker forgot its producer id);
    /// a fatal instance fails every later record.
    var hasFailedFatally: Bool {
        rd_kafka_fatal_error(client.handle, nil, 0) != RD_KAFKA_RESP_ERR_NO_ERROR
    }

    func send(topic: String, key: [UInt8]?, value: [UInt8], headers: [(name: String, value: String)] = []) async throws {
        guard running.load(ordering: .acquiring) else { throw KafkaError("the producer is shut down") }
        let id = nextID.add(1, ordering: .relaxed).oldValue
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            pending.withLock { $0[id] = continuation }
            let list = rd_kafka_headers_new(headers.count)
            for header in headers {
                _ = rd_kafka_header_add(list, header.name, -1, header.value, -1)
            }
            let result = value.withUnsafeBytes { valueBytes in
                (key ?? []).withUnsafeBytes { keyBytes in
                    alertd_kafka_produce(
                        client.handle, topic, key == nil ? nil : keyBytes.baseAddress, key?.count ?? 0, valueBytes.baseAddress,
                        valueBytes.count, list, UnsafeMutableRawPointer(bitPattern: id))
                }
            }
            if result != RD_KAFKA_RESP_ERR_NO_ERROR {
                rd_kafka_headers_destroy(list)
                pending.withLock { $0.removeValue(forKey: id) }?.resume(throwing: KafkaError(code: result, context: "produce to \(topic)"))
            }
        }
    }

    func shutdown(timeout: Duration = .seconds(10)) async {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        let milliseconds = Int32(timeout.components.seconds * 1_000)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { [self] in
                rd_kafka_flush(client.handle, milliseconds)
                stopped.wait()
                continuation.resume()
            }
        }
        for continuation in pending.withLock({ pending in defer { pending = [:] }; return Array(pending.values) }) {
            continuation.resume(throwing: KafkaError("the producer shut down before the broker acknowledged the record"))
        }
    }

    private func serveEvents() {
        while running.load(ordering: .acquiring) || rd_kafka_outq_len(client.handle) > 0 {
            guard let event = rd_kafka_queue_poll(client.mainQueue, 100) else { continue }
            switch rd_kafka_event_type(event) {
            case RD_KAFKA_EVENT_DR: deliveryReports(event)
            case RD_KAFKA_EVENT_LOG: client.log(event)
            case RD_KAFKA_EVENT_ERROR: client.reportError(event, role: "producer")
            default: break
            }
            rd_kafka_event_destroy(event)
        }
        stopped.signal()
    }

    private func deliveryReports(_ event: OpaquePointer) {
        while let message = rd_kafka_event_message_next(event) {
            let id = UInt(bitPattern: message.pointee._private)
            guard let continuation = pending.withLock({ $0.removeValue(forKey: id) }) else { continue }
            let error = message.pointee.err
            if error == RD_KAFKA_RESP_ERR_NO_ERROR {
                continuation.resume()
            } else {
                let topic = message.pointee.rkt.map { String(cString: rd_kafka_topic_name($0)) } ?? "?"
                continuation.resume(throwing: KafkaError(code: error, context: "delivery to \(topic)"))
            }
        }
    }
}
