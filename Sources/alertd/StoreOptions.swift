import ArgumentParser

/// The store and logging flags of every command that runs the tenant runtime.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"),
        help: """
            postgres://user:password@host:port/database[?sslmode=disable|require|verify-full&sslrootcert=CA.pem]: keep tenant \
            data in PostgreSQL; sslmode defaults to verify-full unless the host is loopback. (env: ALERTD_DATABASE_URL)
            """)
    var databaseURL: String? = CommonOptions.environment("ALERTD_DATABASE_URL")

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning or error. (env: ALERTD_LOG_LEVEL)")
    var logLevel: String = CommonOptions.environment("ALERTD_LOG_LEVEL") ?? "info"
}
