import AlertCore
import ArgumentParser
import Authentication
import Foundation
import HTTPCore
import Sinks
import TenantFiles

/// `alertd token`: prints a token signed with a tenant's development key.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "Print a token signed with a tenant's development key (created by `alertd serve --dev`).")

    @OptionGroup var common: CommonOptions

    @Option(help: "The tenant the token acts for.")
    var tenant: String

    @Option(help: "A scope to grant: alerts:write, alerts:read, alerts:ack, silences:write or tenant:admin. Repeatable; alerts:write when none is given.")
    var scope: [Scope] = []

    @Option(help: "How long the token is valid, e.g. 15m, 1h, 7d.")
    var ttl: String = "1h"

    @Option(help: "The token's subject (sub).")
    var subject: String = "dev"

    @Flag(help: "Create the tenant's development key if it does not exist yet.")
    var createKey = false

    func run() async throws {
        guard let id = TenantID(tenant) else { throw ValidationError("--tenant \"\(tenant)\" is not a tenant id") }
        guard let seconds = DurationText.seconds(ttl), seconds > 0 else {
            throw ValidationError("--ttl \"\(ttl)\" is not a duration such as 15m or 1h")
        }
        let scopes = (scope.isEmpty ? [.alertsWrite] : scope).map(\.rawValue)
        let directory = TenantDirectory(path: common.tenants, receivers: SinkRegistry.standard)
        guard let config = try await directory.load(id) else {
            throw ValidationError("tenant \"\(tenant)\" is not in \(common.tenants)")
        }
        let key = try DevSigningKey.load(dataDirectory: common.dataDirectory, tenant: id, create: createKey)
        print(try await key.token(config: config, subject: subject, scopes: scopes, ttl: seconds))
    }
}

extension Scope: ExpressibleByArgument {}
