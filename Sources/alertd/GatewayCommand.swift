import ArgumentParser
import Authentication

/// `alertd gateway`: the public door of a split deployment. Verifies tenants' tokens and
/// forwards each authenticated request to `alertd rating` with an internal token.
struct GatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway", abstract: "Verify tenants' tokens and forward their requests to alertd rating.")

    @OptionGroup var common: CommonOptions
    @OptionGroup var tracing: TracingOptions

    @Option(help: "URL of alertd rating, e.g. http://alertd-rating:8080. (env: ALERTD_UPSTREAM)")
    var upstream: String? = CommonOptions.environment("ALERTD_UPSTREAM")

    @Option(
        name: .customLong("internal-key-file"),
        help: "File holding the key (at least 32 bytes) shared with alertd rating only. (env: ALERTD_INTERNAL_KEY_FILE)")
    var internalKeyFile: String? = CommonOptions.environment("ALERTD_INTERNAL_KEY_FILE")

    @Flag(help: "Trust each tenant's development key from the data dir (as serve --dev creates them). (env: ALERTD_DEV=1)")
    var dev: Bool = CommonOptions.environment("ALERTD_DEV") == "1"

    @OptionGroup var listen: ListenOptions

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning or error. (env: ALERTD_LOG_LEVEL)")
    var logLevel: String = CommonOptions.environment("ALERTD_LOG_LEVEL") ?? "info"

    func run() async throws {
        guard let upstream else { throw ValidationError("--upstream (or ALERTD_UPSTREAM) is required") }
        guard let internalKeyFile else { throw ValidationError("--internal-key-file (or ALERTD_INTERNAL_KEY_FILE) is required") }
        let logger = try CommonOptions.bootstrapLogging(level: logLevel)
        let settings = ServeSettings(
            host: listen.host, port: listen.port, tenantsDirectory: common.tenants, dataDirectory: common.dataDirectory,
            tracing: try tracing.settings(serviceName: "alertd-gateway"), dev: dev)
        let key = try InternalTokenKey(contentsOf: internalKeyFile)
        try await buildGatewayApplication(settings, upstream: upstream, key: key, logger: logger).runService()
    }
}
