import AlertCore
import Foundation
import Kafka
import Logging
import Observability
import Delivery
import ServiceLifecycle
import Synchronization
import Tracing

/// The router's Kafka side: one consumer group over every tenant's alert topic
/// (`TenantTopics.subscription`). The tenant
/// is the topic's; a record is decoded, rated (a record of one alert that carries the rating
/// ingest gave it, in the `alertd-rating` header, keeps that one), recorded in that tenant's
/// ledger and routed into its outbox, and only then is its offset stored. A record that can never be processed
/// (an unknown tenant, another tenant named in it, an undecodable body) goes to the tenant's
/// dead-letter topic with the reason in the `dlq-reason` header, so it never blocks its
/// partition. A store that is down stops consumption until it is back: nothing is skipped.
///
/// A record read again after a crash does not notify twice: its alert's state is already
/// recorded, so it makes no new event, and an event routed twice adds no notification.
public struct AlertConsumer: Service {
    let configuration: KafkaConfiguration
    let topics: TenantTopics
    let groupID: String
    let sessionTimeout: Duration
    let catalog: TenantCatalog
    let stores: any TenantStoreProvider
    let dispatcher: AlertDispatcher
    let producer: KafkaProducer
    let admin: KafkaTopicAdmin
    let metrics: AlertdMetrics
    let logger: Logger
    private let deadLetterTopics = CreatedTopics()
    private let current = CurrentConsumer()

    public init(
        configuration: KafkaConfiguration, topics: TenantTopics, groupID: String, sessionTimeout: Duration, catalog: TenantCatalog,
        stores: any TenantStoreProvider, dispatcher: AlertDispatcher, producer: KafkaProducer, admin: KafkaTopicAdmin,
        metrics: AlertdMetrics, logger: Logger
    ) {
        self.configuration = configuration
        self.topics = topics
        self.groupID = groupID
        self.sessionTimeout = sessionTimeout
        self.catalog = catalog
        self.stores = stores
        self.dispatcher = dispatcher
        self.producer = producer
        self.admin = admin
        self.metrics = metrics
        self.logger = logger
    }

    /// Whether the consumer runs and is a member of its group, for `/readyz`.
    public var hasJoinedGroup: Bool { current.get()?.hasJoinedGroup ?? false }

    /// What became of a record.
    enum Verdict: Equatable {
        case processed
        case refused(String)
    }

    public func run() async throws {
        let consumer = try KafkaConsumer(configuration: configuration, groupID: groupID, sessionTimeout: sessionTimeout, logger: logger)
        try consumer.subscribe([topics.subscription])
        current.set(consumer)
        defer { current.set(nil) }
        logger.info("consuming tenant topics", metadata: ["group": "\(groupID)", "subscription": "\(topics.subscription)"])
        for await message in consumer.messages.cancelOnGracefulShutdown() {
            guard await settle(message) else { break }
            if let lag = consumer.lag(after: message) {
                metrics.recordConsumerLag(topic: message.topic, partition: message.partition, lag: lag)
            }
            do {
                try consumer.storeOffset(message)
            } catch {
                logger.error("storing an offset failed", metadata: ["error": "\(error)", "topic": "\(message.topic)"])
            }
        }
        await consumer.close()
    }

    /// Processes or dead-letters `message`, retrying with backoff while the store or the
    /// broker is unavailable; false when shutdown came first.
    func settle(_ message: KafkaMessage) async -> Bool {
        var delay = Duration.milliseconds(200)
        while !Task.isShuttingDownGracefully {
            do {
                let tenant = metricsTenant(of: message)
                switch try await process(message) {
                case .processed:
                    metrics.recordConsumed(tenant: tenant)
                case .refused(let reason):
                    try await deadLetter(message, reason: reason)
                    metrics.recordDeadLettered(tenant: tenant)
                }
                return true
            } catch {
                logger.warning(
                    "a record could not be processed yet; retrying",
                    metadata: ["topic": "\(message.topic)", "partition": "\(message.partition)", "offset": "\(message.offset)", "error": "\(error)"])
                let wait = delay
                guard (try? await cancelWhenGracefulShutdown({ try await Task.sleep(for: wait) })) != nil else { return false }
                delay = min(delay * 2, .seconds(10))
            }
        }
        return false
    }

    /// Throws only for failures that may pass (store or broker unavailable).
    func process(_ message: KafkaMessage) async throws -> Verdict {
        guard let name = topics.tenantName(of: message.topic), let tenant = TenantID(name), let config = catalog[tenant] else {
            return .refused("no tenant is loaded for topic \(message.topic)")
        }
        if let claimed = message.header("tenant"), claimed != tenant.rawValue {
            return .refused("the record's tenant header names \(claimed), not \(tenant)")
        }
        let now = Date()
        let alerts: [Alert]
        do {
            let document = try NativeAlertDecoder.document(Data(message.value))
            if case .object(let object) = document, let claimed = object["tenant"]?.stringValue, claimed != tenant.rawValue {
                return .refused("the record names tenant \(claimed), not \(tenant)")
            }
            alerts = try NativeAlertDecoder(maxBatchSize: config.quotas.maxBatchSize).decode(document: document, receivedAt: now)
        } catch {
            return .refused("undecodable alert: \(error.path.isEmpty ? error.reason : "\(error.path) \(error.reason)")")
        }
        return try await withSpan("kafka.consume", context: TraceParent.context(message.header("traceparent")), ofKind: .consumer) {
            span in
            span.attributes["messaging.system"] = "kafka"
            span.attributes["messaging.destination.name"] = message.topic
            span.attributes["alertd.tenant"] = tenant.rawValue
            let traceparent = TraceParent.current(orCarried: message.header("traceparent"))
            let store: any AlertLedger & RatingStats & GroupStore = try await stores.store(for: tenant)
            let rated: [RatedAlert]
            if alerts.count == 1, let alert = alerts.first, let rating = RatingHeader.rating(in: message) {
                rated = [RatedAlert(alert: alert, status: alert.status(at: now), rating: rating, traceparent: traceparent)]
            } else {
                rated = try await store.rate(alerts, policy: config.rating, at: now).map {
                    var alert = $0
                    alert.traceparent = traceparent
                    return alert
                }
            }
            for event in try await store.record(rated, at: now, policy: config.rating) {
                try await dispatcher.route(event, store: store)
            }
            return .processed
        }
    }

    /// The tenant label of a record: a loaded tenant's id, else `unknown`, so that records on
    /// stray topics cannot grow the label set.
    func metricsTenant(of message: KafkaMessage) -> String {
        guard let name = topics.tenantName(of: message.topic), let tenant = TenantID(name), catalog[tenant] != nil else {
            return "unknown"
        }
        return name
    }

    func deadLetter(_ message: KafkaMessage, reason: String) async throws {
        let tenant = topics.tenantName(of: message.topic) ?? "unknown"
        let topic = topics.deadLetters(tenant)
        if !deadLetterTopics.contains(topic) {
            try await admin.createTopics([topic], partitions: 1)
            deadLetterTopics.insert(topic)
        }
        var headers = message.headers.map { (name: $0.name, value: String(decoding: $0.value, as: UTF8.self)) }
        headers += [
            ("dlq-reason", reason), ("dlq-topic", message.topic), ("dlq-partition", "\(message.partition)"),
            ("dlq-offset", "\(message.offset)"),
        ]
        try await producer.send(topic: topic, key: message.key, value: message.value, headers: headers)
        logger.warning(
            "record dead-lettered", metadata: ["topic": "\(message.topic)", "offset": "\(message.offset)", "reason": "\(reason)", "dlq": "\(topic)"])
    }
}

/// The consumer while `run` runs.
final class CurrentConsumer: Sendable {
    private let consumer = Mutex<KafkaConsumer?>(nil)

    func set(_ value: KafkaConsumer?) { consumer.withLock { $0 = value } }

    func get() -> KafkaConsumer? { consumer.withLock { $0 } }
}

/// Dead-letter topics known to exist.
final class CreatedTopics: Sendable {
    private let names = Mutex<Set<String>>([])

    func contains(_ name: String) -> Bool { names.withLock { $0.contains(name) } }

    func insert(_ name: String) { names.withLock { _ = $0.insert(name) } }
}
