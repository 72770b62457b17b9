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
/// (`TenantTopics.subscription`). The tenant is the topic's. The consumer takes the records
/// already fetched, up to `batchLimit`; each tenant's records among them are decoded, rated
/// (a record of one alert that carries the rating ingest gave it, in the `alertd-rating`
/// header, keeps that one), recorded in its ledger in one write and routed into its outbox,
/// and only then are the batch's offsets stored. A record that can never be processed
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

    /// The most records taken from the consumer at once: those already fetched, never more
    /// than this, so a batch never waits for a record.
    static let batchLimit = 500

    /// A record read and checked, before its alerts are rated and recorded.
    enum Reading {
        case alerts([Alert])
        case refused(String)
    }

    public func run() async throws {
        let consumer = try KafkaConsumer(configuration: configuration, groupID: groupID, sessionTimeout: sessionTimeout, logger: logger)
        try consumer.subscribe([topics.subscription])
        current.set(consumer)
        defer { current.set(nil) }
        logger.info("consuming tenant topics", metadata: ["group": "\(groupID)", "subscription": "\(topics.subscription)"])
        for await batch in consumer.batches(limit: Self.batchLimit).cancelOnGracefulShutdown() {
            guard await settle(batch) else { break }
            for message in KafkaMessage.lastOfEachPartition(batch) {
                if let lag = consumer.lag(after: message) {
                    metrics.recordConsumerLag(topic: message.topic, partition: message.partition, lag: lag)
                }
            }
            do {
                try consumer.storeOffsets(of: batch)
            } catch {
                logger.error("storing offsets failed", metadata: ["error": "\(error)", "records": "\(batch.count)"])
            }
        }
        await consumer.close()
    }

    /// Processes or dead-letters every record of `batch`, tenant by tenant: one tenant's
    /// records are rated, recorded in one write and routed together. Retries with backoff
    /// while a store or the broker is unavailable; false when shutdown came first.
    func settle(_ batch: [KafkaMessage]) async -> Bool {
        for records in Self.byTopic(batch) {
            let now = Date()
            var accepted: [(message: KafkaMessage, alerts: [Alert])] = []
            var refused: [(message: KafkaMessage, reason: String)] = []
            let topic = records[0].topic
            if let name = topics.tenantName(of: topic), let tenant = TenantID(name), let config = catalog[tenant] {
                for record in records {
                    switch read(record, of: tenant, config: config, at: now) {
                    case .alerts(let alerts): accepted.append((record, alerts))
                    case .refused(let reason): refused.append((record, reason))
                    }
                }
                if let first = accepted.first {
                    guard await retrying(first.message, { try await self.record(accepted, of: tenant, config: config, at: now) }) else {
                        return false
                    }
                    metrics.recordConsumed(tenant: tenant.rawValue, count: accepted.count)
                }
            } else {
                refused = records.map { ($0, "no tenant is loaded for topic \(topic)") }
            }
            for (record, reason) in refused {
                guard await retrying(record, { try await self.deadLetter(record, reason: reason) }) else { return false }
                metrics.recordDeadLettered(tenant: metricsTenant(of: record))
            }
        }
        return true
    }

    /// Runs `attempt` until it succeeds, waiting longer after each failure (a store or the
    /// broker unavailable); false when shutdown came first.
    private func retrying(_ record: KafkaMessage, _ attempt: () async throws -> Void) async -> Bool {
        var delay = Duration.milliseconds(200)
        while !Task.isShuttingDownGracefully {
            do {
                try await attempt()
                return true
            } catch {
                logger.warning(
                    "records could not be processed yet; retrying",
                    metadata: ["topic": "\(record.topic)", "partition": "\(record.partition)", "offset": "\(record.offset)", "error": "\(error)"])
                let wait = delay
                guard (try? await cancelWhenGracefulShutdown({ try await Task.sleep(for: wait) })) != nil else { return false }
                delay = min(delay * 2, .seconds(10))
            }
        }
        return false
    }

    /// The alerts of `message`, a record of `tenant`'s topic, or why it can never be
    /// processed (another tenant named in it, an undecodable body).
    func read(_ message: KafkaMessage, of tenant: TenantID, config: TenantConfig, at now: Date) -> Reading {
        if let claimed = message.header("tenant"), claimed != tenant.rawValue {
            return .refused("the record's tenant header names \(claimed), not \(tenant)")
        }
        do {
            let document = try NativeAlertDecoder.document(Data(message.value))
            if case .object(let object) = document, let claimed = object["tenant"]?.stringValue, claimed != tenant.rawValue {
                return .refused("the record names tenant \(claimed), not \(tenant)")
            }
            return .alerts(try NativeAlertDecoder(maxBatchSize: config.quotas.maxBatchSize).decode(document: document, receivedAt: now))
        } catch {
            return .refused("undecodable alert: \(error.path.isEmpty ? error.reason : "\(error.path) \(error.reason)")")
        }
    }

    /// Rates the alerts of `records` (a record of one alert that carries the rating ingest
    /// gave it keeps that one), records them in `tenant`'s ledger in one write and routes the
    /// events. Throws only for failures that may pass (store unavailable).
    func record(_ records: [(message: KafkaMessage, alerts: [Alert])], of tenant: TenantID, config: TenantConfig, at now: Date)
        async throws
    {
        let store: any AlertLedger & RatingStats & GroupStore = try await stores.store(for: tenant)
        var rated: [RatedAlert] = []
        for (message, alerts) in records {
            rated += try await withSpan("kafka.consume", context: TraceParent.context(message.header("traceparent")), ofKind: .consumer) {
                span in
                span.attributes["messaging.system"] = "kafka"
                span.attributes["messaging.destination.name"] = message.topic
                span.attributes["alertd.tenant"] = tenant.rawValue
                let traceparent = TraceParent.current(orCarried: message.header("traceparent"))
                if alerts.count == 1, let alert = alerts.first, let rating = RatingHeader.rating(in: message) {
                    return [RatedAlert(alert: alert, status: alert.status(at: now), rating: rating, traceparent: traceparent)]
                }
                return try await store.rate(alerts, policy: config.rating, at: now).map {
                    var alert = $0
                    alert.traceparent = traceparent
                    return alert
                }
            }
        }
        try await dispatcher.route(try await store.record(rated, at: now, policy: config.rating), store: store)
    }

    /// The records of `batch` grouped by topic, topics in order of first appearance, each
    /// group in the batch's order.
    static func byTopic(_ batch: [KafkaMessage]) -> [[KafkaMessage]] {
        var groups: [[KafkaMessage]] = []
        var index: [String: Int] = [:]
        for message in batch {
            if let at = index[message.topic] {
                groups[at].append(message)
            } else {
                index[message.topic] = groups.count
                groups.append([message])
            }
        }
        return groups
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
