import AlertCore
import AsyncHTTPClient
import Authentication
import Delivery
import Foundation
import HTTPCore
import Hummingbird
import KafkaPipeline
import Logging
import Observability
import RatingAPI
import ServiceLifecycle
import Sinks
import Storage

/// Builds the whole `alertd serve` process: the tenant runtime (stores, bus or Kafka,
/// dispatcher, delivery worker, ...) and the HTTP API, as one application whose services start
/// in dependency order and stop in reverse.
func buildApplication(_ settings: ServeSettings, logger: Logger) async throws -> some ApplicationProtocol {
    let tracer = try settings.tracing?.bootstrap()
    let runtime = try await TenantRuntime(settings, logger: logger)
    let reloader = runtime.reloader
    let identities: any IdentityVerifier =
        try settings.internalKeyFile.map { InternalTokenVerifier(key: try InternalTokenKey(contentsOf: $0)) } ?? runtime.verifier
    var app = Application(
        router: buildRouter(
            catalog: runtime.catalog, stores: runtime.stores, bus: runtime.bus, intake: runtime.intake,
            readinessProbes: runtime.readinessProbes, verifier: identities, integrationKeys: settings.internalKeyFile == nil ? runtime.catalog : nil,
            metrics: runtime.metrics, audit: AuditLog(logger: logger), writeLatencyTarget: settings.writeLatencyTarget, now: settings.now,
            deliveriesDue: { runtime.deliveries.announce($0) }, console: consoleSignIn(settings, runtime: runtime),
            reload: { await reloader.reload(reason: "POST /-/reload") }),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "alertd"),
        logger: logger)
    if let tracer { app.addServices(tracer) }
    app.addServices(runtime.services)
    logger.info(
        "alertd ready",
        metadata: [
            "address": "\(settings.host):\(settings.port)", "tenants": "\(runtime.catalog.all.map(\.id.rawValue))",
            "dev": "\(settings.dev)", "kafka": "\(settings.kafka?.brokers ?? "off")",
        ])
    return app
}

/// Builds `alertd router`: the tenant runtime consuming Kafka, with only health endpoints
/// on its HTTP port.
func buildRouterApplication(_ settings: ServeSettings, logger: Logger) async throws -> some ApplicationProtocol {
    let tracer = try settings.tracing?.bootstrap()
    let runtime = try await TenantRuntime(settings, logger: logger)
    let router = makeRouter(metrics: runtime.metrics)
    HealthRoutes(catalog: runtime.catalog, stores: runtime.stores, probes: runtime.readinessProbes).register(on: router)
    registerMetrics(runtime.metrics, on: router)
    var app = Application(
        router: router, configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "alertd-router"),
        logger: logger)
    if let tracer { app.addServices(tracer) }
    app.addServices(runtime.services)
    logger.info(
        "alertd router ready",
        metadata: ["kafka": "\(settings.kafka?.brokers ?? "off")", "tenants": "\(runtime.catalog.all.map(\.id.rawValue))"])
    return app
}

/// How the console signs browsers in: with a tenant's own token, checked against the tenant's
/// keys (also in `alertd rating`, whose API takes only the gateway's tokens); with `--dev`,
/// also as any demo tenant, through a short-lived development token with every scope.
func consoleSignIn(_ settings: ServeSettings, runtime: TenantRuntime) -> ConsoleSignIn {
    let verifier = runtime.verifier
    let catalog = runtime.catalog
    guard settings.dev else { return ConsoleSignIn(verify: { try await verifier.verify($0, now: Date()) }) }
    let dataDirectory = settings.dataDirectory
    return ConsoleSignIn(
        verify: { try await verifier.verify($0, now: Date()) }, devTenants: catalog.all.map(\.id),
        devToken: { tenant in
            guard let config = catalog[tenant] else { throw Problem.forbidden("tenant \(tenant) is not served here") }
            let key = try DevSigningKey.load(dataDirectory: dataDirectory, tenant: tenant, create: false)
            return try await key.token(
                config: config, subject: "console", scopes: Scope.allCases.map(\.rawValue),
                ttl: 300)
        })
}

/// The HTTP surface: health, the authenticated `/v1` API, Alertmanager's API v2 under
/// `/api/v2`, the authenticated `/-/reload`, and with `console`, the web console under `/ui/`.
func buildRouter(
    catalog: TenantCatalog, stores: any TenantStoreProvider, bus: any AlertBus, intake: (any AlertIntake)? = nil,
    readinessProbes: [ReadinessProbe] = [], verifier: any IdentityVerifier, integrationKeys: TenantCatalog? = nil,
    metrics: AlertdMetrics = AlertdMetrics(), audit: AuditLog? = nil, writeLatencyTarget: Duration = .milliseconds(250),
    now: @escaping @Sendable () -> Date = { Date() }, deliveriesDue: @escaping @Sendable (TenantID) -> Void = { _ in },
    console: ConsoleSignIn? = nil, consoleSessions: ConsoleSessions = ConsoleSessions(), reload: @escaping @Sendable () async -> Bool
) -> Hummingbird.Router<AlertdRequestContext> {
    let router = makeRouter(metrics: metrics)
    HealthRoutes(catalog: catalog, stores: stores, probes: readinessProbes).register(on: router)
    registerMetrics(metrics, on: router)
    let authentication = AuthenticationMiddleware(verifier: verifier, integrationKeys: integrationKeys, audit: audit)
    let tenantMetrics = TenantRequestMetricsMiddleware(metrics: metrics)
    let api = router.group("v1").add(middleware: authentication).add(middleware: tenantMetrics)
    let alerts = AlertRoutes(
        catalog: catalog, stores: stores, bus: bus, intake: intake, limiter: IngestLimiter(writeLatencyTarget: writeLatencyTarget),
        metrics: metrics, audit: audit, now: now, deliveriesDue: deliveriesDue)
    alerts.register(on: api)
    let alertmanagerAPI = router.group("api/v2").add(middleware: AlertmanagerErrorMiddleware()).add(middleware: authentication)
        .add(middleware: tenantMetrics)
    alerts.registerCompatibleIngest(
        apiV2: alertmanagerAPI, v1: api, v2: router.group("v2").add(middleware: authentication).add(middleware: tenantMetrics))
    AlertmanagerRoutes(alerts: alerts, version: Alertd.version).register(on: alertmanagerAPI)
    ReloadRoutes(reload: reload).register(on: router.group("-").add(middleware: authentication).add(middleware: tenantMetrics))
    if let console {
        ConsoleRoutes(alerts: alerts, sessions: consoleSessions, signIn: console).register(on: router)
    }
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes.map { ("\($0.method)", "\($0.path)") }))
    return router
}

/// A router whose every request is traced, counted and timed, whose errors are answered as
/// problem+json, and whose stores are set up ahead of background work's.
func makeRouter(metrics: AlertdMetrics) -> Hummingbird.Router<AlertdRequestContext> {
    let router = Hummingbird.Router(context: AlertdRequestContext.self)
    router.add(middleware: TracingMiddleware())
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: StoreDemandMiddleware())
    return router
}

/// `GET /metrics`: the Prometheus text exposition.
func registerMetrics(_ metrics: AlertdMetrics, on router: Hummingbird.Router<AlertdRequestContext>) {
    router.get("metrics") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: metrics.exposition())))
    }
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

/// Opens every tenant's store once the store service runs, several at a time (for SQLite:
/// creates and migrates a new tenant's file; for PostgreSQL: creates the tenant's role, schema
/// and tables), so the first request does not pay for it; with Kafka, creates the tenants'
/// topics, retrying until the broker takes the request.
struct TenantWarmup: Service {
    let catalog: TenantCatalog
    let stores: any TenantStoreProvider
    let topics: TopicProvisioner?
    let logger: Logger

    /// Stores asked for at a time; each provider bounds the openings it runs at once (SQLite's
    /// statement threads, PostgreSQL's `ProvisioningGate`).
    static let width = 8

    func run() async throws {
        let (stores, logger) = (stores, logger)
        _ = await catalog.all.map(\.id).concurrentMap(width: Self.width) { tenant in
            guard !Task.isShuttingDownGracefully else { return }
            do {
                _ = try await stores.store(for: tenant)
            } catch {
                logger.error("the tenant's store is not ready; requests retry it", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
            }
        }
        while let topics, !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                try await topics.provision(catalog.all.map(\.id))
                break
            } catch {
                logger.error("creating tenant topics failed; retrying in 5 s", metadata: ["error": "\(error)"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(5)) }
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

/// Builds `alertd gateway`: verifies tenants' tokens (keys, reload on change) and forwards
/// every authenticated request to `alertd rating` at `upstream` with an internal token, and
/// the web console's requests as they came.
func buildGatewayApplication(
    _ settings: ServeSettings, upstream: String, key: InternalTokenKey, logger: Logger
) async throws -> some ApplicationProtocol {
    let tracer = try settings.tracing?.bootstrap()
    let tenants = try await TenantReloader.loadTenants(settings)
    let catalog = TenantCatalog(tenants)
    let verifier = try await TokenVerifier(tenants: tenants, devKeys: try TenantReloader.devKeys(settings, tenants))
    let metrics = AlertdMetrics()
    let reloader = TenantReloader(
        settings: settings, catalog: catalog, verifier: verifier, stores: nil, topics: nil, metrics: metrics, logger: logger)
    let client = HTTPClient(eventLoopGroupProvider: .singleton)
    let router = makeRouter(metrics: metrics)
    let rating = ReadinessProbe {
        let answer = try? await client.execute(HTTPClientRequest(url: "\(upstream)/readyz"), timeout: .seconds(2))
        return answer?.status == .ok ? nil : "alertd rating is not ready"
    }
    HealthRoutes(catalog: catalog, stores: nil, probes: [rating]).register(on: router)
    registerMetrics(metrics, on: router)
    let forwarder = UpstreamForwarder(client: client, upstream: upstream, key: key, catalog: catalog)
    // The console's redirects are the browser's to follow.
    let consoleClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
    ConsoleForwarder(client: consoleClient, upstream: upstream).register(on: router)
    let authenticated = router.group("")
        .add(middleware: AuthenticationMiddleware(verifier: verifier, integrationKeys: catalog, audit: AuditLog(logger: logger)))
        .add(middleware: TenantRequestMetricsMiddleware(metrics: metrics))
    for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
        authenticated.on("**", method: method, use: forwarder.forward)
    }
    var app = Application(
        router: router, configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "alertd-gateway"),
        logger: logger)
    if let tracer { app.addServices(tracer) }
    app.addServices(
        ClosingService { try await client.shutdown() }, ClosingService { try await consoleClient.shutdown() }, KeyRefresher(verifier: verifier),
        TenantReloadTrigger(reloader: reloader, directory: settings.tenantsDirectory, interval: settings.tenantsCheckInterval, logger: logger))
    logger.info("alertd gateway ready", metadata: ["upstream": "\(upstream)", "tenants": "\(catalog.all.map(\.id.rawValue))"])
    return app
}
