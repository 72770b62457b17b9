import AlertCore
import Foundation
import Sinks
import TenantFiles
import Testing

@Suite struct TenantDirectoryTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures").path
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test(arguments: ["\(fixtures)/tenants-valid", "\(repository)/tenants"])
    func loadsTheDemoTenants(path: String) async throws {
        let tenants = try await TenantDirectory(path: path, receivers: SinkRegistry.standard).load()
        #expect(tenants.map(\.id.rawValue) == ["acme", "globex"])
        let acme = tenants[0]
        guard case .inline(let jwks) = acme.auth.keys, case .array(let keys)? = jwks["keys"] else {
            Issue.record("the JWKS file was not loaded")
            return
        }
        #expect(keys.count == 1)
        #expect(acme.receivers["oncall-slack"]?.kind == "slack")
        #expect(tenants[1].auth.tenantClaim == "org")
        #expect(tenants[1].rating.threshold == 0.7)
    }

    @Test func loadsOneTenantWithoutReadingTheOthers() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tenants-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(Self.fixtures)/tenants-valid/globex", toPath: "\(root)/globex")
        try FileManager.default.createDirectory(atPath: "\(root)/zeta", withIntermediateDirectories: true)
        try "id: [zeta\n".write(toFile: "\(root)/zeta/tenant.yaml", atomically: true, encoding: .utf8)
        let directory = TenantDirectory(path: root, receivers: SinkRegistry.standard)
        await #expect(throws: ConfigProblems.self, "the whole directory does not load") { try await directory.load() }
        let globex = try await directory.load(TenantID("globex")!)
        #expect(globex?.id.rawValue == "globex")
        #expect(globex?.auth.tenantClaim == "org")
        #expect(try await directory.load(TenantID("initech")!) == nil, "no such tenant")
        let broken = TenantDirectory(path: "\(Self.fixtures)/tenants-broken", receivers: SinkRegistry.standard)
        do {
            _ = try await broken.load(TenantID("broken")!)
            Issue.record("a broken tenant loaded")
        } catch {
            #expect(error.problems.contains { $0.path == "auth.issuer" })
        }
    }

    @Test func reportsEveryProblemOfEveryFile() async {
        do {
            _ = try await TenantDirectory(path: "\(Self.fixtures)/tenants-broken", receivers: SinkRegistry.standard).load()
            Issue.record("the broken tenants loaded")
        } catch {
            let found = Set(error.problems.map { "\(URL(fileURLWithPath: $0.file ?? "").deletingLastPathComponent().lastPathComponent): \($0.path)" })
            for expected in [
                "broken: auth.issuer", "broken: rating.weights.severity", "broken: receivers[1].slack.url",
                "broken: routes.group_wait", "broken: routes.routes[0].matchers[0]", "broken: routes.routes[0].receiver",
                "mismatch: id",
            ] {
                #expect(found.contains(expected), "missing \(expected) in \(found.sorted())")
            }
        }
    }

    @Test func refusesAnIntegrationKeyTwoTenantsList() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tenants-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let hash = String(repeating: "ab", count: 32)
        for tenant in ["acme", "globex"] {
            try FileManager.default.createDirectory(atPath: "\(root)/\(tenant)", withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "\(Self.fixtures)/tenants-valid/acme/jwks.json", toPath: "\(root)/\(tenant)/jwks.json")
            let yaml = try String(contentsOfFile: "\(Self.fixtures)/tenants-valid/\(tenant)/tenant.yaml", encoding: .utf8)
                .replacingOccurrences(of: "\nauth:\n", with: "\nauth:\n  integrationKeys: [{name: shared, sha256: \(hash)}]\n")
            try yaml.write(toFile: "\(root)/\(tenant)/tenant.yaml", atomically: true, encoding: .utf8)
        }
        do {
            _ = try await TenantDirectory(path: root, receivers: SinkRegistry.standard).load()
            Issue.record("two tenants with one integration key loaded")
        } catch {
            #expect(error.problems.map(\.path) == ["auth.integrationKeys[0].sha256", "auth.integrationKeys[0].sha256"])
            #expect(error.problems.first?.reason.contains("tenant globex") == true)
        }
    }

    @Test(arguments: [#"{"keys": []}"#, #"{"keys": {}}"#, "{}"])
    func refusesAJWKSFileWithoutKeys(jwks: String) async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tenants-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: "\(root)/acme", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "\(Self.fixtures)/tenants-valid/acme/tenant.yaml", toPath: "\(root)/acme/tenant.yaml")
        try jwks.write(toFile: "\(root)/acme/jwks.json", atomically: true, encoding: .utf8)
        do {
            _ = try await TenantDirectory(path: root, receivers: SinkRegistry.standard).load()
            Issue.record("a tenant whose JWKS file holds no keys loaded")
        } catch {
            #expect(error.problems.map(\.path) == ["auth.jwks"])
            #expect(error.problems.first?.reason == "holds no keys")
        }
    }

    @Test func refusesAMissingDirectory() async {
        await #expect(throws: ConfigProblems.self) {
            try await TenantDirectory(path: "/nonexistent/tenants", receivers: SinkRegistry.standard).load()
        }
    }
}
