import Foundation
import Testing
import TestSupport

/// A real `alertd serve` process with more tenants than its open-file limit could hold stores
/// open for: it starts, takes and keeps every tenant's alerts, stays within the limit, and
/// creates the stores of the tenants nobody used after the start.
@Suite struct ManyTenantsTests {
    static let tenants = 150
    static let used = 40
    /// Room for 16 open stores (`SQLiteStoreProvider.defaultMaxOpenStores`); 150 tenants' files
    /// kept open would need at least 450 descriptors.
    static let openFiles = 256

    @Test func servesMoreTenantsThanItsOpenFileLimitHoldsFilesFor() async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let suffix = deployment.acme.split(separator: "-").last!
        let tenants = (1...Self.tenants).map { "many\($0)-\(suffix)" }
        for tenant in tenants { try deployment.writeTenant(tenant, issuer: "https://sso.\(tenant).example") }
        let environment = ["HOOK_URL": "http://127.0.0.1:9/hook", "HOOK_SECRET": "s3cret"]
        let server = try await AlertdServer(
            deployment, arguments: ["--log-level", "warning"], environment: environment, openFiles: Self.openFiles)
        defer { server.terminate() }

        var tokens: [String: String] = [:]
        for tenant in tenants.prefix(Self.used) {
            tokens[tenant] = try await server.token(tenant: tenant, ["alerts:write", "alerts:read"])
            let body = #"{"labels": {"alertname": "Many", "service": "checkout", "severity": "critical", "tenant_label": "\#(tenant)"}}"#
            let answer = try await server.request("/v1/alerts", token: tokens[tenant], body: body)
            #expect(answer.status == 202, "\(tenant): \(answer.body)")
        }
        for tenant in tenants.prefix(Self.used) {
            let (status, body) = try await server.request("/v1/alerts", token: tokens[tenant])
            #expect(status == 200)
            #expect(body.contains(#""tenant_label":"\#(tenant)""#), "\(tenant) reads back its own alert")
            #expect(body.components(separatedBy: #""tenant_label""#).count == 2, "\(tenant) sees one alert, its own")
        }
        let descriptors = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(server.process.processIdentifier)/fd").count
        #expect(descriptors < Self.openFiles, "\(descriptors) descriptors open")
        #expect(server.process.isRunning)
        #expect(try await server.request("/readyz").status == 200)
        let unused = tenants.dropFirst(Self.used).map { "\(deployment.dataDirectory)/tenants/\($0).sqlite" }
        #expect(
            try await eventually(seconds: 60) { unused.allSatisfy { FileManager.default.fileExists(atPath: $0) } },
            "the start's warm-up creates the stores of tenants nobody used")
    }

}
