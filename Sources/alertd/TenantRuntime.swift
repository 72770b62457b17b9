import AlertCore
import AsyncHTTPClient
import Authentication
import Delivery
import Kafka
import KafkaPipeline
import Logging
import Observability
import RatingAPI
import ServiceLifecycle
import Sinks
import Storage

/// Everything an alertd process that holds tenant data runs, whatever its HTTP surface:
/// tenants and keys, stores, the bus, the dispatcher and delivery worker, retention, reload
/// and, with Kafka, the producer, topic provisioning and the router's consumer.
struct TenantRuntime {
    let catalog: TenantCatalog
    let verifier: TokenVerifier
    let stores: any TenantStoreProvider
    let bus: InProcessAlertBus
    let reloader: TenantReloader
    let metrics = AlertdMetrics()
    /// When each tenant's groups are due to be flushed, and its notifications to be delivered.
    let groups: WorkSchedule
    let deliveries: WorkSchedule
    /// Ingest's intake when it is not the embedded ledger.
    let intake: (any AlertIntake)?
    /// In start order; they stop in reverse.
    let services: [any Service]
    /// What `/readyz` checks besides the stores: with Kafka, the broker and the router's
    /// group membership.
    let readinessProbes: [ReadinessProbe]

    init(_ settings: ServeSettings, logger: Logger) async throws {
        let openFiles = OpenFileLimit.raise()
        let tenants = try await TenantReloader.loadTenants(settings)
        catalog = TenantCatalog(tenants)
        metrics.recordBuildInfo(version: Alertd.configuration.version)
        verifier = try await TokenVerifier(tenants: tenants, devKeys: try TenantReloader.devKeys(settings, tenants))
        let storeService: any Service
        var hibernation: (any Service)?
        if let databaseURL = settings.databaseURL {
            let postgres = try PostgresStoreProvider(url: databaseURL, deadline: settings.storeDeadline, logger: logger)
            (stores, storeService) = (postgres, postgres)
        } else {
            let sqlite = SQLiteStoreProvider(directory: "\(settings.dataDirectory)/tenants", logger: logger)
            logger.debug(
                "SQLite stores keep their files open for at most \(sqlite.maxOpenStores) tenants at a time",
                metadata: ["openFileLimit": "\(openFiles.map(String.init) ?? "unknown")"])
            try await sqlite.openExisting(tenants.map(\.id))
            (stores, storeService) = (sqlite, ClosingService { await sqlite.close() })
            hibernation = SQLiteHibernation(provider: sqlite)
        }
        bus = InProcessAlertBus(capacity: settings.busCapacity, logger: logger)
        let httpClient = NotificationSender.makeHTTPClient()
        let sender = NotificationSender(client: httpClient, secrets: SecretResolver(environment: settings.environment))
        groups = WorkSchedule(spacing: settings.deliveryPollInterval)
        deliveries = WorkSchedule(spacing: settings.deliveryPollInterval)
        let recheck = settings.recheckInterval ?? (settings.databaseURL == nil ? .seconds(600) : .seconds(30))
        let dispatcher = AlertDispatcher(
            bus: bus, catalog: catalog, stores: stores, sweepInterval: settings.sweepInterval, recheck: recheck, groups: groups,
            logger: logger)

        var kafkaServices: [any Service] = []
        var provisioner: TopicProvisioner?
        if let kafka = settings.kafka {
            let configuration = KafkaConfiguration(
                brokers: kafka.brokers, properties: try kafka.security.properties(secrets: SecretResolver(environment: settings.environment)))
            guard let topics = TenantTopics(prefix: kafka.topicPrefix) else {
                throw CommandFailure("the Kafka topic prefix \(kafka.topicPrefix) is not valid in topic names")
            }
            let producer = try KafkaProducer(
                configuration: configuration, deliveryTimeout: kafka.deliveryTimeout, linger: kafka.linger, logger: logger)
            let admin = try KafkaTopicAdmin(configuration: configuration, logger: logger)
            provisioner = TopicProvisioner(admin: admin, topics: topics, partitions: kafka.partitions, logger: logger)
            intake = KafkaIntake(producer: producer, topics: topics, metrics: metrics)
            let consumer = AlertConsumer(
                configuration: configuration, topics: topics, groupID: kafka.groupID, sessionTimeout: kafka.sessionTimeout, catalog: catalog,
                stores: stores, dispatcher: dispatcher, producer: producer, admin: admin, metrics: metrics, logger: logger)
            kafkaServices = [ClosingService { await producer.shutdown() }, consumer]
            readinessProbes = [
                ReadinessProbe { (try? await admin.ping()) == nil ? "the Kafka broker does not answer" : nil },
                ReadinessProbe { consumer.hasJoinedGroup ? nil : "the router's consumer has not joined its group" },
            ]
        } else {
            intake = nil
            readinessProbes = []
        }
        reloader = TenantReloader(
            settings: settings, catalog: catalog, verifier: verifier, stores: stores, topics: provisioner, metrics: metrics, logger: logger)
        services =
            [
                ClosingService { try await httpClient.shutdown() },
                storeService,
            ] + (hibernation.map { [$0] } ?? []) + [
                TenantWarmup(catalog: catalog, stores: stores, topics: provisioner, logger: logger),
                dispatcher,
                GroupFlusher(
                    catalog: catalog, stores: stores, schedule: groups, deliveries: deliveries, recheck: recheck, logger: logger),
                DeliveryWorker(
                    catalog: catalog, stores: stores, sender: sender, schedule: deliveries, recheck: recheck, metrics: metrics, logger: logger),
                RetentionWorker(catalog: catalog, stores: stores, interval: settings.retentionInterval, logger: logger),
                OutcomeLearner(
                    catalog: catalog, stores: stores, interval: settings.learningInterval, grace: settings.outcomeGrace, metrics: metrics,
                    logger: logger),
                DeliveryQueueMonitor(
                    catalog: catalog, stores: stores, interval: settings.queueMetricsInterval, deliveries: deliveries, metrics: metrics,
                    logger: logger),
                KeyRefresher(verifier: verifier),
            ] + kafkaServices + [
                TenantReloadTrigger(
                    reloader: reloader, directory: settings.tenantsDirectory, interval: settings.tenantsCheckInterval, logger: logger)
            ]
    }
}
