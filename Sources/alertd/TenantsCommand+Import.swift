import AlertCore
import ArgumentParser
import Foundation
import Sinks
import TenantFiles

extension TenantsCommand {
    /// `alertd tenants import`: an Alertmanager configuration as a tenant.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Turn an Alertmanager configuration (alertmanager.yml) into DIR/ID/tenant.yaml.",
            discussion: """
                Carries over the route tree (matchers, match and match_re), inhibit rules and the receivers \
                alertd has sinks for (webhook, slack, pagerduty, msteams/msteamsv2 as teams, jira); a \
                receiver without any becomes one that discards. Inline secrets are never copied: each \
                becomes an env:NAME reference and the variables to set are printed; *_file settings become \
                file: references. Everything not carried over is listed with its path, and then the command \
                writes nothing and exits 1 unless --allow-partial.
                """)

        @Option(name: .customLong("from"), help: "The Alertmanager configuration file.")
        var source: String

        @Option(help: "The new tenant's id.")
        var tenant: String

        @Option(help: "The tenants directory to write ID/tenant.yaml into.")
        var out: String = "tenants"

        @Option(help: "The tenant's display name (default: its id).")
        var name: String?

        @Option(help: "The issuer (iss) of the tenant's tokens.")
        var issuer: String = "https://idp.example.invalid"

        @Option(help: "The URL of the JWK Set that verifies the tenant's tokens.")
        var jwksURL: String = "https://idp.example.invalid/.well-known/jwks.json"

        @Flag(help: "Write the tenant even when some settings cannot be carried over.")
        var allowPartial = false

        @Flag(help: "Replace an existing ID/tenant.yaml.")
        var force = false

        func run() async throws {
            guard let id = TenantID(tenant) else { throw ValidationError("--tenant \(tenant) is not a valid tenant id") }
            guard let data = FileManager.default.contents(atPath: source) else { throw ValidationError("cannot read \(source)") }
            let file = "\(out)/\(id)/tenant.yaml"
            if FileManager.default.fileExists(atPath: file), !force { throw ValidationError("\(file) exists; --force replaces it") }
            let imported: AlertmanagerConfigImport
            do {
                imported = try AlertmanagerConfigImport(
                    String(decoding: data, as: UTF8.self), tenant: id, name: name, issuer: issuer, jwksURL: jwksURL)
            } catch {
                for problem in error.problems { printError("\(source): \(problem.description)") }
                throw ExitCode.failure
            }
            for omission in imported.omissions { printError("\(source): \(omission.description)") }
            do {
                _ = try TenantConfig.parse(
                    try YAMLDocument.parse(imported.tenantYAML), file: file, expectedID: id.rawValue, receivers: SinkRegistry.standard)
            } catch let error as ConfigProblems {
                for problem in error.problems { printError(problem.description) }
                printError("the imported tenant is not valid; nothing written")
                throw ExitCode.failure
            }
            if !imported.omissions.isEmpty, !allowPartial {
                printError("\(imported.omissions.count) setting(s) not carried over; nothing written (--allow-partial writes the tenant without them)")
                throw ExitCode.failure
            }
            try FileManager.default.createDirectory(atPath: "\(out)/\(id)", withIntermediateDirectories: true)
            try imported.tenantYAML.write(toFile: file, atomically: true, encoding: .utf8)
            print("wrote \(file)\(imported.omissions.isEmpty ? "" : " without \(imported.omissions.count) setting(s) listed above")")
            if !imported.variables.isEmpty {
                print("set these environment variables for alertd (their values are not in \(file)):")
                for variable in imported.variables { print("  \(variable.name)  \(variable.origin)") }
            }
            print("then point auth at the tenant's identity provider (--issuer, --jwks-url) and run alertd tenants validate \(out)")
        }
    }

    /// `alertd tenants route`: which receivers an alert with given labels reaches.
    struct RouteTest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "route",
            abstract: "Print the receivers an alert with the given labels reaches, comma-separated in tree order, like amtool config routes test.")

        @Argument(help: "The tenants directory.")
        var directory: String = "tenants"

        @Option(help: "The tenant whose routes to follow.")
        var tenant: String

        @Option(help: "The alert's score in [0, 1], for routes that match on score or priority (default: none, so those do not match).")
        var score: Double?

        @Argument(help: "The alert's labels, as name=value.")
        var labels: [String] = []

        func run() async throws {
            var set: [String: String] = [:]
            for pair in labels {
                guard let equals = pair.firstIndex(of: "="), equals > pair.startIndex else { throw ValidationError("\(pair) is not name=value") }
                set[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
            }
            let tenants: [TenantConfig]
            do {
                tenants = try await TenantDirectory(path: directory, receivers: SinkRegistry.standard).load()
            } catch {
                for problem in error.problems { printError(problem.description) }
                throw ExitCode.failure
            }
            guard let config = tenants.first(where: { $0.id.rawValue == tenant }) else { throw ValidationError("no tenant \(tenant) in \(directory)") }
            if let score, !(0...1).contains(score) { throw ValidationError("--score must lie in [0, 1]") }
            let rating = score.map { Rating(score: $0, priority: Priority(score: $0, threshold: config.rating.threshold), urgent: $0 >= config.rating.threshold, factors: []) }
            print(config.route.match(labels: set, rating: rating).map(\.receiver.rawValue).joined(separator: ","))
        }
    }
}
