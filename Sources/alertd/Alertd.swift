import ArgumentParser

/// `alertd`: a multi-tenant alert rating and routing service.
@main
struct Alertd: AsyncParsableCommand {
    /// The release, as `--version` and `GET /api/v2/status` report it.
    static let version = "0.5.0"

    static let configuration = CommandConfiguration(
        commandName: "alertd",
        abstract: "Rates incoming alerts per tenant and routes them to each tenant's receivers.",
        version: version,
        subcommands: [ServeCommand.self, GatewayCommand.self, RatingCommand.self, RouterCommand.self, TokenCommand.self, TenantsCommand.self, SendCommand.self]
    )
}
