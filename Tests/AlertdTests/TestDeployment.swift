import AlertCore
@testable import alertd
import Authentication
import Delivery
import Foundation
import HTTPCore
import Hummingbird
import Logging
import RatingAPI
import Sinks
import Storage
import TenantFiles
import Testing
import TestSupport


/// Where a test deployment keeps tenant data.
enum StoreBackend: String, CaseIterable, Sendable {
    case sqlite
    case postgres
}

/// Two tenants (`acme-…` and `globex-…`, with a suffix no other test uses) in a temporary
/// directory, both delivering to a webhook at `HOOK_URL`, and tokens signed with their
/// development keys.
struct TestDeployment {
    let root: String
    let backend: StoreBackend
    let acme: String
    let globex: String
    var tenantsDirectory: String { "\(root)/tenants" }
    var dataDirectory: String { "\(root)/data" }
    let logger = Logger(label: "alertd-test")

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    init(backend: StoreBackend = .sqlite) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("alertd-app-\(UUID())").path
        self.backend = backend
        let suffix = UUID().uuidString.prefix(6).lowercased()
        acme = "acme-\(suffix)"
        globex = "globex-\(suffix)"
        for (tenant, issuer) in [(acme, "https://idp.acme.example"), (globex, "https://login.globex.example")] {
            try writeTenant(tenant, issuer: issuer)
        }
    }

    /// Each tenant's PagerDuty routing key and its SHA-256, as tenant.yaml lists it.
    static let integrationKeys = [
        "acme": (key: "acme0routing0key0000000000000000", sha256: "e893ad7f12fd66f4638451a8ec165fe187e02c57dba41d2fe99c2b17fb2fa40c"),
        "globex": (key: "globex0routing0key00000000000000", sha256: "cfec42bfd78497490f1082622a9637782f158926ca9281f71a4c965660242573"),
    ]

    /// Writes (or overwrites) the folder of tenant `id`.
    func writeTenant(_ id: String, issuer: String) throws {
        let jwks = try String(contentsOfFile: "\(Self.repository)/tenants/acme/jwks.json", encoding: .utf8)
        let directory = "\(tenantsDirectory)/\(id)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try jwks.write(toFile: "\(directory)/jwks.json", atomically: true, encoding: .utf8)
        let yaml = """
            id: \(id)
            auth:
              issuer: \(issuer)
              audience: alertd
              jwks: {file: jwks.json}
              integrationKeys: [\(Self.integrationKeys[String(id.prefix { $0 != "-" })].map { "{name: monitoring, sha256: \($0.sha256)}" } ?? "")]
            quotas: {maxBodyBytes: 2048, maxBatchSize: 5, ingestPerSecond: 0.5, ingestBurst: 10, notificationsPerMinute: 1000000}
            delivery: {initialBackoff: 100ms, maxBackoff: 200ms, giveUpAfter: 1h}
            routes:
              receiver: hook
              group_by: ['...']
              group_wait: 0s
              group_interval: 1s
              routes:
                - matchers: ['severity="info"']
                  receiver: quiet
            receivers:
              - name: hook
                webhook: {url: env:HOOK_URL, secret: env:HOOK_SECRET}
              - name: quiet
                webhook: {url: env:HOOK_URL, secret: env:HOOK_SECRET, send_resolved: false}
            """
        try yaml.write(toFile: "\(directory)/tenant.yaml", atomically: true, encoding: .utf8)
    }

    func settings(hookPort: Int = 1, databaseURL: String? = nil) throws -> ServeSettings {
        var settings = ServeSettings()
        switch backend {
        case .sqlite: settings.databaseURL = nil
        case .postgres: settings.databaseURL = try databaseURL ?? Self.environment("ALERTD_TEST_DATABASE_URL")
        }
        settings.storeDeadline = .seconds(10)
        // The suite's parallel tests load two cores; overload protection reacting to that
        // would turn the exact quota arithmetic tests check into chance. OverloadTests
        // exercises it on purpose.
        settings.writeLatencyTarget = .seconds(30)
        settings.port = 0
        settings.tenantsDirectory = tenantsDirectory
        settings.dataDirectory = dataDirectory
        settings.dev = true
        settings.environment = ["HOOK_URL": "http://127.0.0.1:\(hookPort)/hook", "HOOK_SECRET": "s3cret"]
        settings.deliveryPollInterval = .milliseconds(50)
        settings.sweepInterval = .milliseconds(500)
        return settings
    }

    /// A variable `scripts/test.sh` sets (`TestServices.value`).
    static func environment(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try TestServices.value(name, sourceLocation: sourceLocation)
    }

    /// A token for the tenant named `acme` or `globex`, signed with its development key
    /// (which `buildApplication` creates).
    func token(_ name: String, _ scopes: String...) async throws -> String {
        try await token(tenant: name == "acme" ? acme : globex, scopes: scopes)
    }

    /// A token for tenant `tenant` (its full id), signed with its development key.
    func token(tenant: String, scopes: [String]) async throws -> String {
        let tenants = try await TenantDirectory(path: tenantsDirectory, receivers: SinkRegistry.standard).load()
        let config = try #require(tenants.first { $0.id.rawValue == tenant })
        let key = try DevSigningKey.load(dataDirectory: dataDirectory, tenant: config.id, create: false)
        return try await key.token(config: config, subject: "tester", scopes: scopes, ttl: 300)
    }

    /// The HTTP surface of the deployment's tenants on SQLite, without background services, its
    /// audit log going to `audit`, the console included when `console` is set; the caller closes
    /// the stores.
    func router(audit: AuditLog, console: Bool = false) async throws -> (Router<AlertdRequestContext>, SQLiteStoreProvider) {
        let tenants = try await TenantDirectory(path: tenantsDirectory, receivers: SinkRegistry.standard).load()
        let keys = try tenants.map { try DevSigningKey.load(dataDirectory: dataDirectory, tenant: $0.id, create: true) }
        let stores = SQLiteStoreProvider(directory: "\(dataDirectory)/tenants", logger: logger)
        let verifier = try await TokenVerifier(tenants: tenants, devKeys: keys)
        let router = buildRouter(
            catalog: TenantCatalog(tenants), stores: stores, bus: InProcessAlertBus(capacity: 10, logger: logger), verifier: verifier,
            audit: audit, console: console ? ConsoleSignIn(verify: { try await verifier.verify($0, now: Date()) }) : nil, reload: { true })
        return (router, stores)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}

struct DeploymentError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
