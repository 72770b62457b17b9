import ArgumentParser

/// `alertd router`: consumes every tenant's Kafka topic, records and routes the alerts and
/// delivers the notifications; its HTTP port serves `/healthz` and `/readyz` only.
struct RouterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "router", abstract: "Consume the tenants' Kafka topics, route the alerts and deliver the notifications.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var tracing: TracingOptions

    @Option(help: "Address of the health endpoints. (env: ALERTD_HOST)")
    var host: String = CommonOptions.environment("ALERTD_HOST") ?? "127.0.0.1"

    @Option(help: "Port of the health endpoints. (env: ALERTD_ROUTER_PORT)")
    var port: Int = CommonOptions.environment("ALERTD_ROUTER_PORT").flatMap(Int.init) ?? 8081

    func run() async throws {
        guard let kafka = try kafka.settings() else { throw ValidationError("--kafka-brokers (or ALERTD_KAFKA_BROKERS) is required") }
        let logger = try CommonOptions.bootstrapLogging(level: store.logLevel)
        let settings = ServeSettings(
            host: host, port: port, tenantsDirectory: common.tenants, dataDirectory: common.dataDirectory, databaseURL: store.databaseURL,
            kafka: kafka, tracing: try tracing.settings(serviceName: "alertd-router"))
        try await buildRouterApplication(settings, logger: logger).runService()
    }
}
