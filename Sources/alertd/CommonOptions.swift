import ArgumentParser
import Foundation
import Logging
import Observability

/// Where tenants and data live; every flag can also come from an `ALERTD_*` variable.
struct CommonOptions: ParsableArguments {
    @Option(help: "Directory of tenant folders, each with a tenant.yaml. (env: ALERTD_TENANTS)")
    var tenants: String = CommonOptions.environment("ALERTD_TENANTS") ?? "tenants"

    @Option(name: .customLong("data-dir"), help: "Directory for tenant databases and development keys. (env: ALERTD_DATA_DIR)")
    var dataDirectory: String = CommonOptions.environment("ALERTD_DATA_DIR") ?? ".alertd"

    static func environment(_ name: String) -> String? {
        ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// JSON log lines on stderr at `level`; the logger of the process.
    static func bootstrapLogging(level text: String) throws -> Logger {
        guard let level = Logger.Level(rawValue: text) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error")
        }
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "alertd")
    }
}
