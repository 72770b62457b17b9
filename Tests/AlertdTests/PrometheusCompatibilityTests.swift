import AsyncHTTPClient
import Foundation
import Glibc
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

@testable import alertd

/// The real Prometheus and Alertmanager binaries (Debian's `prometheus` 2.42 and
/// `prometheus-alertmanager` 0.25, which `scripts/test.sh` installs) sending to alertd with
/// a tenant token, configured the way the README tells users to.
@Suite(.serialized) struct PrometheusCompatibilityTests {
    static let prometheus = "/usr/bin/prometheus"
    static let alertmanager = "/usr/bin/prometheus-alertmanager"

    /// A loopback port no socket is bound to now: the kernel's pick for port 0.
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw DeploymentError(message: "socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw DeploymentError(message: "no free loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Starts `binary` with `arguments`, its output in `log`.
    func start(_ binary: String, _ arguments: [String], log: String) throws -> Process {
        let binary = try TestServices.program(binary)
        FileManager.default.createFile(atPath: log, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The alert names tenant acme has, once one is `name` (or contains it, with `partly`), or
    /// after 90 seconds.
    func waitForAlert(_ name: String, partly: Bool = false, client: some TestClientProtocol, token: String) async throws -> [String] {
        let deadline = ContinuousClock.now + .seconds(90)
        var names: [String] = []
        while ContinuousClock.now < deadline {
            let response = try await client.execute(uri: "/v1/alerts", method: .get, headers: [.authorization: "Bearer \(token)"])
            let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            names = (json?["alerts"] as? [[String: Any]] ?? []).compactMap { ($0["labels"] as? [String: String])?["alertname"] }
            if names.contains(where: { partly ? $0.contains(name) : $0 == name }) { return names }
            try await Task.sleep(for: .milliseconds(500))
        }
        return names
    }

    /// Runs `body` against a live alertd with an acme token, also written to `<root>/token`.
    func withAlertd(
        _ body: @Sendable (_ client: any TestClientProtocol, _ port: Int, _ token: String, _ root: String) async throws -> Void
    ) async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let app = try await buildApplication(try deployment.settings(), logger: deployment.logger)
        try await app.test(.live) { client in
            let token = try await deployment.token("acme", "alerts:write", "alerts:read")
            try token.write(toFile: "\(deployment.root)/token", atomically: true, encoding: .utf8)
            try await body(client, try #require(client.port), token, deployment.root)
        }
    }

    @Test func prometheusSendsItsAlertsToAlertdAsToAnAlertmanager() async throws {
        try await withAlertd { client, port, token, root in
            try """
                groups:
                  - name: test
                    interval: 1s
                    rules:
                      - alert: AlwaysFiring
                        expr: vector(1)
                        labels: {severity: critical, service: checkout}
                        annotations: {summary: fires on every evaluation}
                """.write(toFile: "\(root)/rules.yml", atomically: true, encoding: .utf8)
            try """
                global: {evaluation_interval: 1s, scrape_interval: 15s}
                rule_files: ["\(root)/rules.yml"]
                alerting:
                  alertmanagers:
                    - scheme: http
                      api_version: v2
                      static_configs: [{targets: ["127.0.0.1:\(port)"]}]
                      authorization: {credentials_file: "\(root)/token"}
                """.write(toFile: "\(root)/prometheus.yml", atomically: true, encoding: .utf8)
            let server = try start(
                Self.prometheus,
                [
                    "--config.file=\(root)/prometheus.yml", "--storage.tsdb.path=\(root)/tsdb", "--rules.alert.resend-delay=2s",
                    "--web.listen-address=127.0.0.1:0",
                ],
                log: "\(root)/prometheus.log")
            try await server.whileRunning {
                let names = try await waitForAlert("AlwaysFiring", client: client, token: token)
                let log = (try? String(contentsOfFile: "\(root)/prometheus.log", encoding: .utf8))?.suffix(2_000) ?? ""
                #expect(names.contains("AlwaysFiring"), "Prometheus's alert reaches alertd; its log ends with:\n\(log)")
            }
        }
    }

    @Test func alertmanagerForwardsToAlertdThroughAWebhookReceiver() async throws {
        try await withAlertd { client, port, token, root in
            try await forward(
                "ViaAlertmanager",
                receiver: """
                    webhook_configs:
                      - url: http://127.0.0.1:\(port)/v1/ingest/alertmanager
                        http_config: {authorization: {credentials_file: "\(root)/token"}}
                    """, client: client, token: token, root: root)
        }
    }

    @Test func alertmanagerPagesAlertdThroughAPagerDutyReceiver() async throws {
        try await withAlertd { client, port, token, root in
            let alert = try await forward(
                "ViaPagerDuty",
                receiver: """
                    pagerduty_configs:
                      - routing_key: \(TestDeployment.integrationKeys["acme"]!.key)
                        url: http://127.0.0.1:\(port)/v2/enqueue
                    """, client: client, token: token, root: root)
            #expect(alert?["source"] as? String == "pagerduty/monitoring", "the routing key named the tenant and its integration")
            let labels = alert?["labels"] as? [String: String] ?? [:]
            #expect(labels["dedup_key"]?.isEmpty == false && labels["severity"] == "error", "\(labels)")
        }
    }

    /// Starts Alertmanager with one receiver `alertd` (the YAML under its name), posts alert
    /// `name` to it and waits for alertd to have it; returns alertd's view of the alert.
    @discardableResult
    func forward(
        _ name: String, receiver: String, client: some TestClientProtocol, token: String, root: String
    ) async throws -> [String: Any]? {
        try """
            route: {receiver: alertd, group_wait: 0s, group_interval: 1s, repeat_interval: 1h}
            receivers:
              - name: alertd
            \(receiver.split(separator: "\n").map { "    \($0)" }.joined(separator: "\n"))
            """.write(toFile: "\(root)/alertmanager.yml", atomically: true, encoding: .utf8)
        let webPort = try Self.freePort()
        let server = try start(
            Self.alertmanager,
            [
                "--config.file=\(root)/alertmanager.yml", "--storage.path=\(root)/am", "--web.listen-address=127.0.0.1:\(webPort)",
                "--cluster.listen-address=",
            ],
            log: "\(root)/alertmanager.log")
        return try await server.whileRunning {
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(webPort)/api/v2/alerts")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: #"[{"labels": {"alertname": "\#(name)", "service": "api", "severity": "warning"}}]"#))
            var posted = false
            for _ in 0..<60 where !posted {
                posted = (try? await HTTPClient.shared.execute(request, timeout: .seconds(5)))?.status == .ok
                if !posted { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(posted, "Alertmanager takes the alert")
            let names = try await waitForAlert(name, partly: true, client: client, token: token)
            let log = (try? String(contentsOfFile: "\(root)/alertmanager.log", encoding: .utf8))?.suffix(2_000) ?? ""
            #expect(names.contains { $0.contains(name) }, "Alertmanager reaches alertd; its log ends with:\n\(log)")
            let response = try await client.execute(uri: "/v1/alerts", method: .get, headers: [.authorization: "Bearer \(token)"])
            let list = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
            return (list?["alerts"] as? [[String: Any]])?.first { (($0["labels"] as? [String: String])?["alertname"] ?? "").contains(name) }
        }
    }
}
