import Logging
import Synchronization

/// An idempotent producer (`enable.idempotence=true`, `acks=all`) that never creates topics
/// by producing to them (`KafkaTopicAdmin` does). `send` returns only once the broker has
/// acknowledged the record, or throws. When librdkafka declares the producer fatally failed
/// (a broker that lost its producer state, say), the failing `send` throws and the next one
/// runs on a fresh producer instance.
public final class KafkaProducer: Sendable {
    private let properties: [String: String]
    private let logger: Logger
    private let session: Mutex<RDKafkaProducerSession>

    /// How long records wait to fill a batch unless told otherwise (`linger.ms`).
    public static let defaultLinger = Duration.milliseconds(2)

    /// `deliveryTimeout` bounds how long `send` waits for the broker (`message.timeout.ms`);
    /// `linger` how long a record waits for others to share its request (`linger.ms`).
    public init(
        configuration: KafkaConfiguration, deliveryTimeout: Duration = .seconds(5), linger: Duration = defaultLinger, logger: Logger
    ) throws {
        properties = configuration.merged([
            "enable.idempotence": "true",
            "acks": "all",
            "linger.ms": "\(Self.milliseconds(linger))",
            "allow.auto.create.topics": "false",
            "reconnect.backoff.max.ms": "1000",
            "message.timeout.ms": "\(Self.milliseconds(deliveryTimeout))",
        ])
        self.logger = logger
        session = Mutex(try RDKafkaProducerSession(properties: properties, logger: logger))
    }

    /// Sends one record and waits for its delivery report.
    public func send(topic: String, key: [UInt8]?, value: [UInt8], headers: [(name: String, value: String)] = []) async throws {
        let current = session.withLock { $0 }
        do {
            try await current.send(topic: topic, key: key, value: value, headers: headers)
        } catch {
            if current.hasFailedFatally { await replace(current) }
            throw error
        }
    }

    /// Waits up to `timeout` for queued records, then stops. Records still queued afterwards
    /// fail their `send`.
    public func shutdown(timeout: Duration = .seconds(10)) async {
        await session.withLock { $0 }.shutdown(timeout: timeout)
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    private func replace(_ failed: RDKafkaProducerSession) async {
        let fresh: RDKafkaProducerSession
        do {
            fresh = try RDKafkaProducerSession(properties: properties, logger: logger)
        } catch {
            logger.error("Kafka producer: cannot start a new producer instance: \(error)")
            return
        }
        let replaced = session.withLock { current -> Bool in
            guard current === failed else { return false }
            current = fresh
            return true
        }
        if replaced {
            logger.warning("Kafka producer failed fatally; a new producer instance takes over")
            await failed.shutdown(timeout: .seconds(1))
        } else {
            await fresh.shutdown(timeout: .zero)
        }
    }
}
