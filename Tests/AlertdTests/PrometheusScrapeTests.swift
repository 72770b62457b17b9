import AsyncHTTPClient
import Foundation
import HummingbirdTesting
import NIOCore
import Testing
import TestSupport

@testable import alertd

/// A real Prometheus (Debian's `prometheus`) scraping a live alertd with the alert rules of
/// `deploy/observability`: the ingest counter moves after alerts are posted, every query of
/// the Grafana dashboard evaluates without error, and every rule loads and evaluates.
@Suite(.serialized) struct PrometheusScrapeTests {
    static let observability = "\(TestDeployment.repository)/deploy/observability"

    /// The `data` of a Prometheus API answer, or nil with the error it reported.
    static func api(_ port: Int, _ path: String, query: String? = nil) async throws -> (data: Any?, error: String?) {
        var url = "http://127.0.0.1:\(port)\(path)"
        if let query {
            var allowed = CharacterSet.urlQueryAllowed
            allowed.remove(charactersIn: "+&=;")
            url += "?query=" + (query.addingPercentEncoding(withAllowedCharacters: allowed) ?? query)
        }
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 22)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        guard json?["status"] as? String == "success" else { return (nil, json?["error"] as? String ?? "HTTP \(response.status.code)") }
        return (json?["data"], nil)
    }

    /// The value of an instant query's first sample, if any.
    static func value(_ port: Int, _ query: String) async throws -> Double? {
        let data = try await api(port, "/api/v1/query", query: query).data as? [String: Any]
        let sample = (data?["result"] as? [[String: Any]])?.first?["value"] as? [Any]
        return (sample?.last as? String).flatMap(Double.init)
    }

    /// Every `targets[].expr` of the dashboard's panels (rows included), with Grafana's
    /// variables replaced the way a viewer with "All" tenants sees them.
    static func dashboardQueries() throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(observability)/alertd-dashboard.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        func panels(_ list: [[String: Any]]) -> [[String: Any]] {
            list.flatMap { [$0] + panels($0["panels"] as? [[String: Any]] ?? []) }
        }
        return panels(dashboard["panels"] as? [[String: Any]] ?? []).flatMap { panel in
            (panel["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String }
        }.map { $0.replacingOccurrences(of: "$tenant", with: ".*").replacingOccurrences(of: "$__rate_interval", with: "1m") }
    }

    @Test func prometheusScrapesAlertdAndEveryDashboardQueryAndRuleEvaluates() async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        var settings = try deployment.settings()
        settings.queueMetricsInterval = .seconds(1)
        let app = try await buildApplication(settings, logger: deployment.logger)
        let root = deployment.root
        let acme = deployment.acme
        try await app.test(.live) { client in
            let port = try #require(client.port)
            try """
                global: {scrape_interval: 1s, evaluation_interval: 1s}
                rule_files: ["\(Self.observability)/alertd-rules.yml"]
                scrape_configs:
                  - job_name: alertd
                    static_configs: [{targets: ["127.0.0.1:\(port)"]}]
                """.write(toFile: "\(root)/prometheus.yml", atomically: true, encoding: .utf8)
            let webPort = TestPorts.prometheus.randomElement()!
            let prometheus = try PrometheusCompatibilityTests().start(
                PrometheusCompatibilityTests.prometheus,
                ["--config.file=\(root)/prometheus.yml", "--storage.tsdb.path=\(root)/tsdb", "--web.listen-address=127.0.0.1:\(webPort)"],
                log: "\(root)/prometheus.log")
            try await prometheus.whileRunning {
                let scraped = try await eventually(seconds: 60) { (try? await Self.value(webPort, #"up{job="alertd"}"#)) == 1 }
                let log = (try? String(contentsOfFile: "\(root)/prometheus.log", encoding: .utf8))?.suffix(2_000) ?? ""
                try #require(scraped, "Prometheus scrapes alertd; its log ends with:\n\(log)")
                let ingested = #"alertd_alerts_ingested_total{tenant="\#(acme)"}"#
                #expect(try await Self.value(webPort, ingested) == nil, "nothing ingested yet")

                let token = try await deployment.token("acme", "alerts:write")
                for index in 0..<3 {
                    let response = try await client.execute(
                        uri: "/v1/alerts", method: .post, headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                        body: ByteBuffer(string: #"{"labels": {"alertname": "Scraped", "instance": "i-\#(index)"}}"#))
                    #expect(response.status == .accepted)
                }
                let moved = try await eventually(seconds: 30) { (try? await Self.value(webPort, ingested)) == 3 }
                #expect(moved, "Prometheus sees the three alerts in alertd_alerts_ingested_total")
                #expect(try await Self.value(webPort, #"alertd_tenant_requests_total{tenant="\#(acme)",status="202"}"#) == 3)
                #expect(try await Self.value(webPort, #"alertd_tenant_ingest_quota_per_second{tenant="\#(acme)"}"#) == 0.5)
                #expect(try await Self.value(webPort, "alertd_build_info") == 1)
                #expect(
                    try await eventually(seconds: 30) {
                        (try? await Self.value(webPort, #"alertd_delivery_queue_depth{tenant="\#(acme)"}"#)) != nil
                    }, "the delivery queue gauges are scraped")

                let queries = try Self.dashboardQueries()
                #expect(queries.count >= 10)
                for query in queries {
                    let answer = try await Self.api(webPort, "/api/v1/query", query: query)
                    #expect(answer.error == nil, "dashboard query \(query): \(answer.error ?? "")")
                }

                let evaluated = try await eventually(seconds: 60) {
                    let data = try await Self.api(webPort, "/api/v1/rules").data as? [String: Any]
                    let rules = (data?["groups"] as? [[String: Any]] ?? []).flatMap { $0["rules"] as? [[String: Any]] ?? [] }
                    return !rules.isEmpty && rules.allSatisfy { $0["health"] as? String == "ok" }
                }
                let data = try await Self.api(webPort, "/api/v1/rules").data as? [String: Any]
                let rules = (data?["groups"] as? [[String: Any]] ?? []).flatMap { $0["rules"] as? [[String: Any]] ?? [] }
                #expect(evaluated, "every alert rule evaluates: \(rules.map { "\($0["name"] ?? "") \($0["health"] ?? "") \($0["lastError"] ?? "")" })")
            }
        }
    }
}
