import AlertCore
import Authentication
import Foundation
import KafkaPipeline
import Logging
import Observability
import Sinks
import Storage
import TenantFiles

/// Switches a running process to the tenants directory as it is now: keys first, then the
/// tenant configs, then a store for every new tenant (for PostgreSQL: its role, schema and
/// tables) and, with Kafka, its topics. An invalid directory changes nothing and the last good tenants keep serving.
/// A tenant removed from the directory stops being served; its data stays.
actor TenantReloader {
    let settings: ServeSettings
    let catalog: TenantCatalog
    let verifier: TokenVerifier
    /// Nil in `alertd gateway`, which holds no tenant data.
    let stores: (any TenantStoreProvider)?
    let topics: TopicProvisioner?
    let metrics: AlertdMetrics
    let logger: Logger

    init(
        settings: ServeSettings, catalog: TenantCatalog, verifier: TokenVerifier, stores: (any TenantStoreProvider)?,
        topics: TopicProvisioner?, metrics: AlertdMetrics, logger: Logger
    ) {
        self.settings = settings
        self.catalog = catalog
        self.verifier = verifier
        self.stores = stores
        self.topics = topics
        self.metrics = metrics
        self.logger = logger
        metrics.recordReload(succeeded: true)
        recordQuotas(catalog.all)
    }

    private nonisolated func recordQuotas(_ tenants: [TenantConfig]) {
        for tenant in tenants { metrics.recordIngestQuota(tenant: tenant.id.rawValue, perSecond: tenant.quotas.ingestPerSecond) }
    }

    /// Reloads; returns whether the new directory was applied.
    @discardableResult
    func reload(reason: String) async -> Bool {
        let tenants: [TenantConfig]
        do {
            tenants = try await Self.loadTenants(settings)
            try await verifier.replace(tenants: tenants, devKeys: try Self.devKeys(settings, tenants))
        } catch {
            metrics.recordReload(succeeded: false)
            logger.error("tenant reload rejected; the last good tenants keep serving", metadata: ["reason": "\(reason)", "error": "\(error)"])
            return false
        }
        let before = Set(catalog.all.map(\.id))
        catalog.replace(with: tenants)
        metrics.recordReload(succeeded: true)
        recordQuotas(tenants)
        let after = Set(tenants.map(\.id))
        for tenant in before.subtracting(after) { metrics.forgetTenant(tenant.rawValue) }
        do {
            try await topics?.provision(Array(after.subtracting(before)))
        } catch {
            logger.error("creating the new tenants' topics failed", metadata: ["error": "\(error)"])
        }
        for tenant in after.subtracting(before) {
            guard let stores else { break }
            do {
                _ = try await stores.store(for: tenant)
            } catch {
                logger.error("the new tenant's store is not ready; requests retry it", metadata: ["tenant": "\(tenant)", "error": "\(error)"])
            }
        }
        logger.notice(
            "tenants reloaded",
            metadata: [
                "reason": "\(reason)", "tenants": "\(after.count)", "added": "\(after.subtracting(before).map(\.rawValue).sorted())",
                "removed": "\(before.subtracting(after).map(\.rawValue).sorted())",
            ])
        return true
    }

    static func loadTenants(_ settings: ServeSettings) async throws -> [TenantConfig] {
        do {
            return try await TenantDirectory(path: settings.tenantsDirectory, receivers: SinkRegistry.standard).load()
        } catch {
            throw CommandFailure("the tenants in \(settings.tenantsDirectory) are invalid:\n\(error)")
        }
    }

    /// In development mode, each tenant's generated signing key (created when missing).
    static func devKeys(_ settings: ServeSettings, _ tenants: [TenantConfig]) throws -> [DevSigningKey] {
        guard settings.dev else { return [] }
        return try tenants.map { try DevSigningKey.load(dataDirectory: settings.dataDirectory, tenant: $0.id, create: true) }
    }
}
