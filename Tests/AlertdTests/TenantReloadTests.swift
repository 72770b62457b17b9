import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import alertd

@Suite struct TenantReloadTests {
    static let alert = #"{"labels": {"alertname": "DiskFull", "service": "db", "severity": "warning"}}"#

    func request(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String, body: String? = nil
    ) async throws -> TestResponse {
        try await client.execute(
            uri: path, method: method, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
            body: body.map { ByteBuffer(string: $0) })
    }

    func alertCount(_ client: any TestClientProtocol, token: String) async throws -> Int? {
        let response = try await request(client, .get, "/v1/alerts", token: token)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return (json?["alerts"] as? [Any])?.count
    }

    @Test(arguments: StoreBackend.allCases)
    func onboardsAndRemovesTenantsAtRuntimeWithoutDroppingData(backend: StoreBackend) async throws {
        let deployment = try TestDeployment(backend: backend)
        defer { deployment.remove() }
        let app = try await buildApplication(try deployment.settings(), logger: deployment.logger)
        try await app.test(.router) { client in
            let admin = try await deployment.token("acme", "tenant:admin")
            let globex = try await deployment.token("globex", "alerts:write", "alerts:read")
            #expect(try await request(client, .post, "/v1/alerts", token: globex, body: Self.alert).status == .accepted)

            let newcomer = "initech-\(deployment.acme.split(separator: "-").last!)"
            try deployment.writeTenant(newcomer, issuer: "https://sso.initech.example")
            #expect(try await request(client, .post, "/-/reload", token: admin).status == .ok)
            let token = try await deployment.token(tenant: newcomer, scopes: ["alerts:write", "alerts:read"])
            #expect(try await request(client, .post, "/v1/alerts", token: token, body: Self.alert).status == .accepted)
            #expect(try await alertCount(client, token: token) == 1)

            let quotaGauge = #"alertd_tenant_ingest_quota_per_second{tenant="\#(deployment.globex)"}"#
            #expect(String(buffer: try await client.execute(uri: "/metrics", method: .get).body).contains(quotaGauge))
            try FileManager.default.removeItem(atPath: "\(deployment.tenantsDirectory)/\(deployment.globex)")
            #expect(try await request(client, .post, "/-/reload", token: admin).status == .ok)
            #expect(try await request(client, .get, "/v1/alerts", token: globex).status == .unauthorized)
            #expect(
                !String(buffer: try await client.execute(uri: "/metrics", method: .get).body).contains(quotaGauge),
                "a removed tenant's gauges leave /metrics")

            try deployment.writeTenant(deployment.globex, issuer: "https://login.globex.example")
            #expect(try await request(client, .post, "/-/reload", token: admin).status == .ok)
            #expect(try await alertCount(client, token: globex) == 1)
        }
    }

    @Test func anInvalidChangeKeepsTheLastGoodTenants() async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let app = try await buildApplication(try deployment.settings(), logger: deployment.logger)
        try await app.test(.router) { client in
            let admin = try await deployment.token("acme", "tenant:admin")
            let writer = try await deployment.token("acme", "alerts:write")
            try "id: \(deployment.acme)\nroutes: {receiver: nowhere}\n".write(
                toFile: "\(deployment.tenantsDirectory)/\(deployment.acme)/tenant.yaml", atomically: true, encoding: .utf8)
            let rejected = try await request(client, .post, "/-/reload", token: admin)
            #expect(rejected.status == .unprocessableContent)
            #expect(rejected.headers[.contentType] == "application/problem+json")
            #expect(!String(buffer: rejected.body).contains(deployment.globex))
            #expect(try await request(client, .post, "/v1/alerts", token: writer, body: Self.alert).status == .accepted)
            #expect(try await request(client, .post, "/-/reload", token: writer).status == .forbidden)
        }
    }

    @Test func ingestRunsThroughReloadsGoodAndBadWithNothingLost() async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let app = try await buildApplication(try deployment.settings(), logger: deployment.logger)
        try await app.test(.router) { client in
            let admin = try await deployment.token("acme", "tenant:admin")
            let writer = try await deployment.token("globex", "alerts:write", "alerts:read")
            let file = "\(deployment.tenantsDirectory)/\(deployment.acme)/tenant.yaml"
            let good = try String(contentsOfFile: file, encoding: .utf8)
            let ingest = Task {
                var statuses: [HTTPResponse.Status] = []
                for index in 0..<10 {
                    let body = #"{"labels": {"alertname": "DuringReload", "instance": "i-\#(index)"}}"#
                    statuses.append(try await request(client, .post, "/v1/alerts", token: writer, body: body).status)
                    try await Task.sleep(for: .milliseconds(50))
                }
                return statuses
            }
            var outcomes: [HTTPResponse.Status] = []
            for round in 0..<6 {
                let yaml = round.isMultiple(of: 2) ? "id: \(deployment.acme)\nroutes: {receiver: nowhere}\n" : good
                try yaml.write(toFile: file, atomically: true, encoding: .utf8)
                outcomes.append(try await request(client, .post, "/-/reload", token: admin).status)
            }
            #expect(outcomes == [.unprocessableContent, .ok, .unprocessableContent, .ok, .unprocessableContent, .ok])
            #expect(try await ingest.value == Array(repeating: .accepted, count: 10))
            #expect(try await alertCount(client, token: writer) == 10)
        }
    }

    @Test func reloadsWhenTheTenantFilesChange() async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        var settings = try deployment.settings()
        settings.tenantsCheckInterval = .milliseconds(100)
        let app = try await buildApplication(settings, logger: deployment.logger)
        try await app.test(.router) { client in
            let newcomer = "initech-\(deployment.acme.split(separator: "-").last!)"
            try deployment.writeTenant(newcomer, issuer: "https://sso.initech.example")
            let deadline = ContinuousClock.now + .seconds(10)
            var status: HTTPResponse.Status?
            while ContinuousClock.now < deadline, status != .accepted {
                try await Task.sleep(for: .milliseconds(100))
                guard let token = try? await deployment.token(tenant: newcomer, scopes: ["alerts:write"]) else { continue }
                status = try await request(client, .post, "/v1/alerts", token: token, body: Self.alert).status
            }
            #expect(status == .accepted)
        }
    }
}
