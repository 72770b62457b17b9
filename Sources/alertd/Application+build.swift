import AlertCore
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import RatingAPI
import Router
import ServiceLifecycle
import Sinks
import Storage
import TenantGateway

/// Builds the whole `alertd serve` process: tenants, keys, stores, bus, dispatcher, delivery
/// worker and the HTTP server, as one application whose services start in dependency order
/// and stop in reverse.
func buildApplication(_ settings: ServeSettings, logger: Logger) async throws -> some ApplicationProtocol {
    let tenants = try await TenantReloader.loadTenants(settings)
    let catalog = TenantCatalog(tenants)
    let verifier = try await TokenVerifier(tenants: tenants, devKeys: try TenantReloader.devKeys(settings, tenants))
    let stores: any TenantStoreProvider
    let storeService: any Service
    if let databaseURL = settings.databaseURL {
        let postgres = try PostgresStoreProvider(url: databaseURL, deadline: settings.storeDeadline, logger: logger)
        (stores, storeService) = (postgres, postgres)
    } else {
        let sqlite = SQLiteStoreProvider(directory: "\(settings.dataDirectory)/tenants", logger: logger)
        for tenant in tenants { _ = try await sqlite.store(for: tenant.id) }
        (stores, storeService) = (sqlite, ClosingService { await sqlite.close() })
    }

    let bus = InProcessAlertBus(capacity: settings.busCapacity, logger: logger)
    let httpClient = NotificationSender.makeHTTPClient()
    let sender = NotificationSender(client: httpClient, secrets: SecretResolver(environment: settings.environment))
    let dispatcher = AlertDispatcher(
        bus: bus, catalog: catalog, stores: stores, sender: sender, sweepInterval: settings.sweepInterval, logger: logger)
    let worker = DeliveryWorker(
        catalog: catalog, stores: stores, sender: sender, pollInterval: settings.deliveryPollInterval, logger: logger)

    let reloader = TenantReloader(settings: settings, catalog: catalog, verifier: verifier, stores: stores, logger: logger)

    var app = Application(
        router: buildRouter(
            catalog: catalog, stores: stores, bus: bus, verifier: verifier, reload: { await reloader.reload(reason: "POST /-/reload") }),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "alertd"),
        logger: logger)
    app.addServices(
        ClosingService { try await httpClient.shutdown() },
        storeService,
        TenantWarmup(catalog: catalog, stores: stores, logger: logger),
        dispatcher,
        worker,
        RetentionWorker(catalog: catalog, stores: stores, interval: settings.retentionInterval, logger: logger),
        TenantReloadTrigger(
            reloader: reloader, directory: settings.tenantsDirectory, interval: settings.tenantsCheckInterval, logger: logger))
    logger.info(
        "alertd ready",
        metadata: [
            "address": "\(settings.host):\(settings.port)", "tenants": "\(tenants.map(\.id.rawValue))", "dev": "\(settings.dev)",
        ])
    return app
}

/// The HTTP surface: health, the authenticated `/v1` API and the authenticated `/-/reload`.
func buildRouter(
    catalog: TenantCatalog, stores: any TenantStoreProvider, bus: any AlertBus, verifier: TokenVerifier,
    reload: @escaping @Sendable () async -> Bool
) -> Hummingbird.Router<AlertdRequestContext> {
    let router = Hummingbird.Router(context: AlertdRequestContext.self)
    router.add(middleware: ProblemMiddleware())
    HealthRoutes(catalog: catalog, stores: stores).register(on: router)
    let api = router.group("v1").add(middleware: AuthenticationMiddleware(verifier: verifier))
    AlertRoutes(catalog: catalog, stores: stores, bus: bus).register(on: api)
    ReloadRoutes(reload: reload).register(on: router.group("-").add(middleware: AuthenticationMiddleware(verifier: verifier)))
    return router
}

/// Waits for graceful shutdown, then releases a resource.
struct ClosingService: Service {
    let close: @Sendable () async throws -> Void

    init(_ close: @escaping @Sendable () async throws -> Void) {
        self.close = close
    }

    func run() async throws {
        try? await gracefulShutdown()
        try await close()
    }
}

/// Opens every tenant's store once the store service runs (for PostgreSQL: creates the
/// tenant's role, schema and tables), so the first request does not pay for it.
struct TenantWarmup: Service {
    let catalog: TenantCatalog
    let stores: any TenantStoreProvider
    let logger: Logger

    func run() async throws {
        for tenant in catalog.all {
            do {
                _ = try await stores.store(for: tenant.id)
            } catch {
                logger.error("the tenant's store is not ready; requests retry it", metadata: ["tenant": "\(tenant.id)", "error": "\(error)"])
            }
        }
        try? await gracefulShutdown()
    }
}

/// A failure reported to the user as a message, with exit code 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
