import ArgumentParser

/// `alertd rating`: the API and router behind `alertd gateway`. It accepts only the
/// gateway's internal tokens, so reaching it directly gets a caller nothing.
struct RatingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rating", abstract: "Run the rating API and the router behind alertd gateway.",
        subcommands: [RatingEvaluateCommand.self])

    @OptionGroup var common: CommonOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var kafka: KafkaOptions
    @OptionGroup var tracing: TracingOptions

    @Option(
        name: .customLong("internal-key-file"),
        help: "File holding the key (at least 32 bytes) shared with alertd gateway only. (env: ALERTD_INTERNAL_KEY_FILE)")
    var internalKeyFile: String? = CommonOptions.environment("ALERTD_INTERNAL_KEY_FILE")

    @OptionGroup var listen: ListenOptions

    func run() async throws {
        guard let internalKeyFile else { throw ValidationError("--internal-key-file (or ALERTD_INTERNAL_KEY_FILE) is required") }
        let logger = try CommonOptions.bootstrapLogging(level: store.logLevel)
        let settings = ServeSettings(
            host: listen.host, port: listen.port, tenantsDirectory: common.tenants, dataDirectory: common.dataDirectory, databaseURL: store.databaseURL,
            kafka: try kafka.settings(), tracing: try tracing.settings(serviceName: "alertd-rating"), internalKeyFile: internalKeyFile)
        try await buildApplication(settings, logger: logger).runService()
    }
}
