import ArgumentParser
import Foundation
import Hummingbird

/// `alertd serve`: gateway, rating and router in one process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the gateway, the rating API and the router in one process.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var tracing: TracingOptions

    @Flag(help: "Generate a development signing key per tenant into the data dir and trust it. (env: ALERTD_DEV=1)")
    var dev: Bool = CommonOptions.environment("ALERTD_DEV") == "1"

    @OptionGroup var listen: ListenOptions

    func run() async throws {
        let logger = try CommonOptions.bootstrapLogging(level: store.logLevel)
        let settings = ServeSettings(
            host: listen.host, port: listen.port, tenantsDirectory: common.tenants, dataDirectory: common.dataDirectory, databaseURL: store.databaseURL,
            kafka: try kafka.settings(), tracing: try tracing.settings(serviceName: "alertd"), dev: dev)
        let app = try await buildApplication(settings, logger: logger)
        try await app.runService()
    }
}
