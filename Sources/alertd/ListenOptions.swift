import ArgumentParser

/// Where an API process listens.
struct ListenOptions: ParsableArguments {
    @Option(help: "Address to listen on. (env: ALERTD_HOST)")
    var host: String = CommonOptions.environment("ALERTD_HOST") ?? "127.0.0.1"

    @Option(help: "Port to listen on. (env: ALERTD_PORT)")
    var port: Int = CommonOptions.environment("ALERTD_PORT").flatMap(Int.init) ?? 8080
}
