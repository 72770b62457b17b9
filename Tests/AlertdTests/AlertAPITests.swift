import AlertCore
@testable import alertd
import Authentication
import Delivery
import Foundation
import HTTPCore
import Hummingbird
import HummingbirdTesting
import Logging
import RatingAPI
import Sinks
import Storage
import TenantFiles
import Synchronization
import Testing


@Suite struct AlertAPITests {
    static let critical = #"{"labels": {"alertname": "HighLatency", "service": "checkout", "severity": "critical"}, "source": "prom"}"#

    func withApp(
        _ backend: StoreBackend = .sqlite, _ body: @Sendable (any TestClientProtocol, TestDeployment) async throws -> Void
    ) async throws {
        let deployment = try TestDeployment(backend: backend)
        defer { deployment.remove() }
        let app = try await buildApplication(try deployment.settings(), logger: deployment.logger)
        try await app.test(.router) { client in try await body(client, deployment) }
    }

    func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    func post(
        _ client: any TestClientProtocol, _ path: String, token: String?, body: String
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    func get(_ client: any TestClientProtocol, _ path: String, token: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .get, headers: [.authorization: "Bearer \(token)"])
    }

    func expectProblem(_ response: TestResponse, _ status: HTTPResponse.Status, field: String? = nil) throws {
        #expect(response.status == status)
        #expect(response.headers[.contentType] == "application/problem+json")
        let problem = try json(response)
        #expect(problem["status"] as? Int == status.code)
        #expect((problem["detail"] as? String)?.isEmpty == false)
        if let field { #expect(problem["field"] as? String == field) }
    }

    @Test(arguments: StoreBackend.allCases)
    func ingestsRatesAndDeduplicates(backend: StoreBackend) async throws {
        try await withApp(backend) { client, deployment in
            let writer = try await deployment.token("acme", "alerts:write")
            let reader = try await deployment.token("acme", "alerts:read")
            let first = try await post(client, "/v1/alerts", token: writer, body: Self.critical)
            #expect(first.status == .accepted)
            let accepted = try #require((try json(first)["alerts"] as? [[String: Any]])?.first)
            let fingerprint = try #require(accepted["fingerprint"] as? String)
            #expect(accepted["priority"] as? String == "P1")
            #expect(accepted["score"] as? Double == 0.75)
            let again = try await post(client, "/v1/alerts", token: writer, body: #"{"alerts": [\#(Self.critical)]}"#)
            #expect(again.status == .accepted)

            let list = try json(try await get(client, "/v1/alerts?status=firing&min_score=0.5", token: reader))
            let alerts = try #require(list["alerts"] as? [[String: Any]])
            #expect(alerts.count == 1)
            #expect(alerts[0]["occurrences"] as? Int == 2)
            #expect(list["nextOffset"] == nil)

            let detail = try json(try await get(client, "/v1/alerts/\(fingerprint)", token: reader))
            let factors = try #require((detail["rating"] as? [String: Any])?["factors"] as? [[String: Any]])
            #expect(factors.map { $0["name"] as? String } == ["severity", "reliability", "history"])
            #expect(detail["deliveries"] is [Any])
        }
    }

    @Test func acceptsWhatPrometheusAndAlertmanagerSend() async throws {
        try await withApp { client, deployment in
            let writer = try await deployment.token("acme", "alerts:write", "alerts:read")
            let prometheus = #"[{"labels": {"alertname": "NodeDown", "job": "node", "severity": "critical"}, "startsAt": "2026-11-22T10:00:00Z"}]"#
            #expect(try await post(client, "/api/v2/alerts", token: writer, body: prometheus).status == .ok)
            #expect(try await post(client, "/api/v2/alerts", token: writer, body: prometheus).status == .ok, "Prometheus re-sends firing alerts")
            try expectProblem(try await post(client, "/api/v2/alerts", token: nil, body: prometheus), .unauthorized)
            try expectProblem(try await post(client, "/api/v2/alerts", token: writer, body: #"{"labels": {}}"#), .unprocessableContent, field: "")

            let webhook = try String(contentsOfFile: "\(TestDeployment.repository)/../shared/fixtures/alertmanager-webhook-v4.json", encoding: .utf8)
            #expect(try await post(client, "/v1/ingest/alertmanager", token: writer, body: webhook).status == .accepted)

            let list = try #require(try json(try await get(client, "/v1/alerts", token: writer))["alerts"] as? [[String: Any]])
            let byName = Dictionary(uniqueKeysWithValues: list.compactMap { alert -> (String, [String: Any])? in
                guard let labels = (alert["alert"] as? [String: Any])?["labels"] as? [String: String] ?? alert["labels"] as? [String: String],
                    let name = labels["alertname"] else { return nil }
                return (name, alert)
            })
            #expect(Set(byName.keys) == ["NodeDown", "HighErrorRate"])
            #expect(byName["NodeDown"]?["occurrences"] as? Int == 2, "a re-sent alert is a repeat, not a new alert")
            #expect(byName["HighErrorRate"]?["status"] as? String == "firing")
        }
    }

    @Test func rateHasNoSideEffects() async throws {
        try await withApp { client, deployment in
            let token = try await deployment.token("acme", "alerts:read")
            let response = try await post(client, "/v1/rate", token: token, body: Self.critical)
            #expect(response.status == .ok)
            let rated = try #require((try json(response)["alerts"] as? [[String: Any]])?.first)
            #expect((rated["factors"] as? [Any])?.count == 3)
            let list = try json(try await get(client, "/v1/alerts", token: token))
            #expect((list["alerts"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func refusesMissingAndInvalidTokens() async throws {
        try await withApp { client, _ in
            try expectProblem(try await post(client, "/v1/alerts", token: nil, body: Self.critical), .unauthorized)
            try expectProblem(try await post(client, "/v1/alerts", token: "a.b.c", body: Self.critical), .unauthorized)
            let basic = try await client.execute(
                uri: "/v1/alerts", method: .post, headers: [.authorization: "Basic eDp5"], body: ByteBuffer(string: Self.critical))
            try expectProblem(basic, .unauthorized)
            #expect(basic.headers[.wwwAuthenticate] == "Bearer")
        }
    }

    @Test func refusesMissingScopes() async throws {
        try await withApp { client, deployment in
            let reader = try await deployment.token("acme", "alerts:read")
            try expectProblem(try await post(client, "/v1/alerts", token: reader, body: Self.critical), .forbidden)
            let writer = try await deployment.token("acme", "alerts:write")
            try expectProblem(try await get(client, "/v1/alerts", token: writer), .forbidden)
            try expectProblem(try await post(client, "/v1/alerts/0123456789abcdef/ack", token: writer, body: ""), .forbidden)
            try expectProblem(try await get(client, "/v1/deliveries", token: reader), .forbidden)
            try expectProblem(try await post(client, "/v1/deliveries/1/replay", token: reader, body: ""), .forbidden)
            try expectProblem(try await post(client, "/-/reload", token: writer, body: ""), .forbidden)
            let otherAdmin = try await deployment.token("globex", "tenant:admin")
            try expectProblem(try await post(client, "/v1/deliveries/1/replay", token: otherAdmin, body: ""), .notFound)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func tenantsSeeOnlyTheirOwnAlerts(backend: StoreBackend) async throws {
        try await withApp(backend) { client, deployment in
            let acme = try await deployment.token("acme", "alerts:write", "alerts:read", "alerts:ack")
            let globex = try await deployment.token("globex", "alerts:read", "alerts:ack")
            let posted = try await post(client, "/v1/alerts", token: acme, body: Self.critical)
            let fingerprint = try #require(((try json(posted)["alerts"] as? [[String: Any]])?.first?["fingerprint"]) as? String)
            let theirs = try json(try await get(client, "/v1/alerts", token: globex))
            #expect((theirs["alerts"] as? [Any])?.isEmpty == true)
            try expectProblem(try await get(client, "/v1/alerts/\(fingerprint)", token: globex), .notFound)
            try expectProblem(try await post(client, "/v1/alerts/\(fingerprint)/ack", token: globex, body: ""), .notFound)
            #expect(try await get(client, "/v1/alerts/\(fingerprint)", token: acme).status == .ok)
        }
    }

    @Test func refusesIngestBeyondTheTenantsRateWith429() async throws {
        try await withApp { client, deployment in
            let token = try await deployment.token("acme", "alerts:write", "alerts:read")
            let other = try await deployment.token("globex", "alerts:write")
            let batch = #"{"alerts": [\#(Array(repeating: Self.critical, count: 5).joined(separator: ","))]}"#
            for _ in 0..<3 {
                #expect(try await post(client, "/v1/alerts", token: token, body: batch).status == .accepted)
            }
            let refused = try await post(client, "/v1/alerts", token: token, body: Self.critical)
            try expectProblem(refused, .tooManyRequests)
            let wait = try #require(refused.headers[.retryAfter].flatMap { Int($0) })
            #expect(wait >= 1)
            #expect((try json(refused)["detail"] as? String)?.contains("ingestPerSecond") == true)
            #expect(try await post(client, "/v1/alerts", token: other, body: Self.critical).status == .accepted, "other tenants are not slowed")
            let list = try json(try await get(client, "/v1/alerts", token: token))
            #expect((list["alerts"] as? [[String: Any]])?.first?["occurrences"] as? Int == 15, "the refused alert was not stored")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func refusesNewFiringAlertsBeyondMaxActiveAlertsButNotResolutions(backend: StoreBackend) async throws {
        let deployment = try TestDeployment(backend: backend)
        defer { deployment.remove() }
        let file = "\(deployment.tenantsDirectory)/\(deployment.acme)/tenant.yaml"
        let yaml = try String(contentsOfFile: file, encoding: .utf8)
        try yaml.replacingOccurrences(of: "notificationsPerMinute: 1000000}", with: "notificationsPerMinute: 1000000, maxActiveAlerts: 3}")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let app = try await buildApplication(try deployment.settings(), logger: deployment.logger)
        try await app.test(.router) { client in
            let token = try await deployment.token("acme", "alerts:write", "alerts:read")
            let other = try await deployment.token("globex", "alerts:write")
            func alert(_ name: String, resolved: Bool = false) -> String {
                let ends = resolved ? #", "startsAt": "2019-12-31T00:00:00Z", "endsAt": "2020-01-01T00:00:00Z""# : ""
                return #"{"labels": {"alertname": "\#(name)", "severity": "warning"}\#(ends)}"#
            }
            func firing() async throws -> Int {
                let list = try json(try await get(client, "/v1/alerts?status=firing", token: token))
                return (list["alerts"] as? [Any])?.count ?? -1
            }
            let three = #"{"alerts": [\#(alert("One")), \#(alert("Two")), \#(alert("Three"))]}"#
            #expect(try await post(client, "/v1/alerts", token: token, body: three).status == .accepted)

            let refused = try await post(client, "/v1/alerts", token: token, body: #"{"alerts": [\#(alert("One")), \#(alert("Four"))]}"#)
            try expectProblem(refused, .tooManyRequests)
            #expect(refused.headers[.retryAfter] == "60")
            let detail = try #require(try json(refused)["detail"] as? String)
            #expect(detail.contains("maxActiveAlerts") && detail.contains("would make 4"))
            #expect(try await firing() == 3, "nothing of the refused batch was stored")

            #expect(try await post(client, "/v1/alerts", token: token, body: three).status == .accepted, "repeats add no firing alert")
            #expect(try await post(client, "/v1/alerts", token: other, body: alert("Four")).status == .accepted, "other tenants are not held")
            let swap = #"{"alerts": [\#(alert("One", resolved: true)), \#(alert("Four"))]}"#
            #expect(try await post(client, "/v1/alerts", token: token, body: swap).status == .accepted, "a resolution makes room in the same batch")
            #expect(try await firing() == 3)
            let resolveAll = #"{"alerts": [\#(alert("Two", resolved: true)), \#(alert("Three", resolved: true))]}"#
            #expect(try await post(client, "/v1/alerts", token: token, body: resolveAll).status == .accepted)
            #expect(try await firing() == 1)
        }
    }

    @Test func refusesOversizedBodiesAndStoresNothing() async throws {
        try await withApp { client, deployment in
            let token = try await deployment.token("acme", "alerts:write", "alerts:read")
            let padding = String(repeating: "x", count: 3_000)
            let large = #"{"labels": {"alertname": "Big"}, "annotations": {"padding": "\#(padding)"}}"#
            try expectProblem(try await post(client, "/v1/alerts", token: token, body: large), .contentTooLarge)
            let list = try json(try await get(client, "/v1/alerts", token: token))
            #expect((list["alerts"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func refusesInvalidAlertsWithTheFieldAndStoresNothing() async throws {
        try await withApp { client, deployment in
            let token = try await deployment.token("acme", "alerts:write", "alerts:read")
            let batch = #"{"alerts": [\#(Self.critical), {"labels": {"service": "x"}}]}"#
            try expectProblem(
                try await post(client, "/v1/alerts", token: token, body: batch), .unprocessableContent, field: "alerts[1].labels.alertname")
            try expectProblem(try await post(client, "/v1/alerts", token: token, body: "{oops"), .unprocessableContent, field: "")
            let tooMany = #"{"alerts": [\#(Array(repeating: Self.critical, count: 6).joined(separator: ","))]}"#
            try expectProblem(try await post(client, "/v1/alerts", token: token, body: tooMany), .unprocessableContent, field: "alerts")
            let list = try json(try await get(client, "/v1/alerts", token: token))
            #expect((list["alerts"] as? [Any])?.isEmpty == true, "the valid alert of the refused batch was not stored")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func acknowledgesResolvesAndTakesFeedback(backend: StoreBackend) async throws {
        try await withApp(backend) { client, deployment in
            let token = try await deployment.token("acme", "alerts:write", "alerts:read", "alerts:ack")
            let posted = try await post(client, "/v1/alerts", token: token, body: Self.critical)
            let fingerprint = try #require(((try json(posted)["alerts"] as? [[String: Any]])?.first?["fingerprint"]) as? String)
            let acked = try json(try await post(client, "/v1/alerts/\(fingerprint)/ack", token: token, body: ""))
            #expect(acked["acknowledgedBy"] as? String == "tester")
            let noted = try await post(client, "/v1/alerts/\(fingerprint)/feedback", token: token, body: #"{"kind": "noise"}"#)
            #expect(try json(noted)["feedback"] as? String == "noise")
            try expectProblem(
                try await post(client, "/v1/alerts/\(fingerprint)/feedback", token: token, body: #"{"kind": "meh"}"#),
                .unprocessableContent, field: "kind")
            let resolved = try json(try await post(client, "/v1/alerts/\(fingerprint)/resolve", token: token, body: ""))
            #expect(resolved["status"] as? String == "resolved")
            try expectProblem(try await post(client, "/v1/alerts/ffffffffffffffff/resolve", token: token, body: ""), .notFound)

            let rerated = try json(try await post(client, "/v1/rate", token: token, body: Self.critical))
            let factors = try #require(((rerated["alerts"] as? [[String: Any]])?.first?["factors"]) as? [[String: Any]])
            let reliability = try #require(factors.first { $0["name"] as? String == "reliability" }?["value"] as? Double)
            let history = try #require(factors.first { $0["name"] as? String == "history" }?["value"] as? Double)
            #expect(reliability < 0.5, "noise feedback lowered the source's reliability")
            #expect(history > 0.5, "a fast acknowledgement raised the group's response history")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func silencesAreCreatedListedAndExpiredWithinTheTenant(backend: StoreBackend) async throws {
        try await withApp(backend) { client, deployment in
            let writer = try await deployment.token("acme", "silences:write")
            let reader = try await deployment.token("acme", "alerts:read")
            let other = try await deployment.token("globex", "silences:write")
            let body = #"{"matchers": ["service=\"checkout\"", "severity=~\"crit.*\""], "endsAt": "2999-01-01T00:00:00Z", "comment": "db failover"}"#
            try expectProblem(try await post(client, "/v1/silences", token: reader, body: body), .forbidden)
            let invalid: [(String, String)] = [
                (#"{"endsAt": "2999-01-01T00:00:00Z", "comment": "x"}"#, "matchers"),
                (#"{"matchers": ["service=~\"(\""], "endsAt": "2999-01-01T00:00:00Z", "comment": "x"}"#, "matchers[0]"),
                (#"{"matchers": ["a=\"b\"", 7], "endsAt": "2999-01-01T00:00:00Z", "comment": "x"}"#, "matchers[1]"),
                (#"{"matchers": ["a=\"b\""], "endsAt": "2001-01-01T00:00:00Z", "comment": "x"}"#, "endsAt"),
                (#"{"matchers": ["a=\"b\""], "endsAt": "tomorrow", "comment": "x"}"#, "endsAt"),
                (#"{"matchers": ["a=\"b\""], "endsAt": "2999-01-01T00:00:00Z", "comment": " "}"#, "comment"),
            ]
            for (invalidBody, field) in invalid {
                try expectProblem(try await post(client, "/v1/silences", token: writer, body: invalidBody), .unprocessableContent, field: field)
            }
            try expectProblem(try await post(client, "/v1/silences", token: writer, body: "[1"), .unprocessableContent)
            #expect((try json(try await get(client, "/v1/silences", token: reader))["silences"] as? [Any])?.isEmpty == true)

            let created = try await post(client, "/v1/silences", token: writer, body: body)
            #expect(created.status == .created)
            let silence = try json(created)
            let id = try #require(silence["id"] as? String)
            #expect(silence["state"] as? String == "active")
            #expect(silence["createdBy"] as? String == "tester", "the creator is the token's subject")
            let listed = try #require(try json(try await get(client, "/v1/silences?state=active", token: reader))["silences"] as? [[String: Any]])
            #expect(listed.map { $0["id"] as? String } == [id])
            #expect((try json(try await get(client, "/v1/silences/\(id)", token: reader)))["comment"] as? String == "db failover")
            try expectProblem(try await get(client, "/v1/silences?state=later", token: reader), .badRequest, field: "state")

            #expect((try json(try await get(client, "/v1/silences", token: other))["silences"] as? [Any])?.isEmpty == true)
            try expectProblem(try await get(client, "/v1/silences/\(id)", token: other), .notFound)
            let foreignDelete = try await client.execute(uri: "/v1/silences/\(id)", method: .delete, headers: [.authorization: "Bearer \(other)"])
            try expectProblem(foreignDelete, .notFound)

            let expired = try await client.execute(uri: "/v1/silences/\(id)", method: .delete, headers: [.authorization: "Bearer \(writer)"])
            #expect(expired.status == .ok)
            #expect(try json(expired)["state"] as? String == "expired")
            #expect((try json(try await get(client, "/v1/silences?state=active", token: reader))["silences"] as? [Any])?.isEmpty == true)
            #expect((try json(try await get(client, "/v1/silences?state=expired", token: reader))["silences"] as? [Any])?.count == 1)
        }
    }

    @Test func aRoutedPathAnswersOtherMethodsWith405AndAllow() async throws {
        try await withApp { client, deployment in
            let token = try await deployment.token("acme", "alerts:read")
            let response = try await client.execute(uri: "/v1/alerts", method: .delete, headers: [.authorization: "Bearer \(token)"])
            try expectProblem(response, .methodNotAllowed)
            #expect(response.headers[.allow] == "GET, POST")
            let trace = try await client.execute(uri: "/v1/silences/abc", method: .trace)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "DELETE, GET")
            try expectProblem(try await client.execute(uri: "/v1/nowhere", method: .get), .notFound)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func usageShowsQuotasAndWhatTheTenantHoldsNow(backend: StoreBackend) async throws {
        try await withApp(backend) { client, deployment in
            let writer = try await deployment.token("acme", "alerts:write")
            let admin = try await deployment.token("acme", "tenant:admin")
            let posted = ContinuousClock.now
            #expect(try await post(client, "/v1/alerts", token: writer, body: #"{"alerts": [\#(Self.critical), {"labels": {"alertname": "Old"}, "startsAt": "2026-01-01T00:00:00Z", "endsAt": "2026-01-01T01:00:00Z"}]}"#).status == .accepted)
            try expectProblem(try await get(client, "/v1/tenant/usage", token: writer), .forbidden)
            let usage = try json(try await get(client, "/v1/tenant/usage", token: admin))
            #expect(usage["tenant"] as? String == deployment.acme)
            #expect((usage["quotas"] as? [String: Any])?["ingestBurst"] as? Int == 10)
            let elapsed = ContinuousClock.now - posted
            let refilled = (Double(elapsed.components.seconds) + 1) * 0.5
            let available = try #require(usage["ingestAlertsAvailable"] as? Double)
            #expect(available >= 8 && available <= 8 + refilled, "10 in the bucket, 2 taken, refilled at 0.5/s since")
            let store = try #require(usage["store"] as? [String: Any])
            #expect(store["firingAlerts"] as? Int == 1 && store["resolvedAlerts"] as? Int == 1)
            #expect(store["deadNotifications"] as? Int == 0 && store["activeSilences"] as? Int == 0)
            let other = try json(try await get(client, "/v1/tenant/usage", token: try await deployment.token("globex", "tenant:admin")))
            #expect((other["store"] as? [String: Any])?["firingAlerts"] as? Int == 0, "another tenant's usage is its own")
        }
    }

    @Test func metricsCountRequestsIngestedAlertsAndQuotaRejections() async throws {
        try await withApp { client, deployment in
            let writer = try await deployment.token("acme", "alerts:write")
            #expect(try await post(client, "/v1/alerts", token: writer, body: Self.critical).status == .accepted)
            let oversized = #"{"labels": {"alertname": "Big", "pad": "\#(String(repeating: "x", count: 4_000))"}}"#
            #expect(try await post(client, "/v1/alerts", token: writer, body: oversized).status == .contentTooLarge)
            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: response.body)
            let tenant = deployment.acme
            for line in [
                #"alertd_alerts_ingested_total{tenant="\#(tenant)"} 1"#,
                #"alertd_alert_score_count{tenant="\#(tenant)"} 1"#,
                #"alertd_quota_rejections_total{tenant="\#(tenant)",quota="maxBodyBytes"} 1"#,
                #"alertd_http_requests_total{method="POST",route="/v1/alerts",status="202"} 1"#,
                #"alertd_http_requests_total{method="POST",route="/v1/alerts",status="413"} 1"#,
                "alertd_config_last_reload_successful 1",
            ] {
                #expect(text.contains(line), "\(line) in /metrics")
            }
            #expect(!text.contains("HighLatency"), "no alert names in labels")
        }
    }

    @Test func refusesBadQueriesAndUnknownRoutes() async throws {
        try await withApp { client, deployment in
            let token = try await deployment.token("acme", "alerts:read")
            try expectProblem(try await get(client, "/v1/alerts?status=open", token: token), .badRequest, field: "status")
            try expectProblem(try await get(client, "/v1/alerts?min_score=2", token: token), .badRequest, field: "min_score")
            try expectProblem(try await get(client, "/v1/alerts?limit=0", token: token), .badRequest, field: "limit")
            try expectProblem(try await get(client, "/v1/alerts/not-a-fingerprint", token: token), .notFound)
            try expectProblem(try await get(client, "/v1/nothing", token: token), .notFound)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
        }
    }

    @Test func deniedRequestsAndOperatorActionsAreAuditedWithoutTheirTokens() async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let captured = CapturedLog()
        let (router, stores) = try await deployment.router(audit: AuditLog(logger: captured.logger))
        let reader = try await deployment.token("acme", "alerts:read")
        let writer = try await deployment.token("acme", "alerts:write", "silences:write")
        let forged = String(reader.dropLast(4)) + "AAAA"
        try await Application(router: router).test(.router) { (client: any TestClientProtocol) async throws in
            #expect(try await get(client, "/v1/alerts", token: forged).status == .unauthorized)
            #expect(try await post(client, "/v1/alerts", token: reader, body: Self.critical).status == .forbidden)
            #expect(try await post(client, "/v1/alerts", token: writer, body: Self.critical).status == .accepted)
            #expect(try await get(client, "/v1/alerts", token: reader).status == .ok)
            let silence = #"{"matchers": ["service=\"checkout\""], "endsAt": "2999-01-01T00:00:00Z", "comment": "deploy"}"#
            #expect(try await post(client, "/v1/silences", token: writer, body: silence).status == .created)
        }
        await stores.close()
        let audit = captured.all.filter { $0.contains("audit=true") }
        #expect(audit.count == 3, "\(audit)")
        #expect(audit.contains { $0.contains("outcome=denied 401") && $0.contains("action=GET /v1/alerts") && $0.contains("tenant=unknown") })
        #expect(audit.contains { $0.contains("outcome=denied 403") && $0.contains("tenant=\(deployment.acme)") && $0.contains("subject=tester") })
        #expect(audit.contains { $0.contains("outcome=allowed 201") && $0.contains("action=POST /v1/silences") })
        for token in [reader, writer, forged] {
            #expect(!captured.all.contains { $0.contains(token) || $0.contains(String(token.split(separator: ".").last ?? "")) })
        }
    }

    @Test func answers503WhenTheStoreFails() async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let tenants = try await TenantDirectory(path: deployment.tenantsDirectory, receivers: SinkRegistry.standard).load()
        let keys = try tenants.map { try DevSigningKey.load(dataDirectory: deployment.dataDirectory, tenant: $0.id, create: true) }
        let stores = UnavailableStores()
        let router = buildRouter(
            catalog: TenantCatalog(tenants), stores: stores,
            bus: InProcessAlertBus(capacity: 1, logger: deployment.logger),
            verifier: try await TokenVerifier(tenants: tenants, devKeys: keys), reload: { false })
        let token = try await deployment.token("acme", "alerts:write")
        try await Application(router: router).test(.router) { client in
            let response = try await post(client, "/v1/alerts", token: token, body: Self.critical)
            try expectProblem(response, .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "5")
            let readiness = try await client.execute(uri: "/readyz", method: .get)
            #expect(readiness.status == .serviceUnavailable)
            #expect((try json(readiness)["reasons"] as? [String]) == ["2 of 2 tenant stores do not answer"])
            #expect(!String(buffer: readiness.body).contains(deployment.acme), "no tenant ids for an unauthenticated probe")
        }
        #expect(stores.demands.withLock { $0 }.allSatisfy { $0 }, "a request asks for its store as a request")
        #expect(!stores.demands.withLock { $0 }.isEmpty)
    }
}

/// A store provider whose stores cannot be opened, as when the disk is gone; it notes whether
/// each opening was asked for while answering a request (`StoreDemand.fromRequest`).
final class UnavailableStores: TenantStoreProvider {
    struct Unavailable: Error {}
    let demands = Mutex<[Bool]>([])

    func store(for tenant: TenantID) async throws -> any TenantStore {
        demands.withLock { $0.append(StoreDemand.fromRequest) }
        throw Unavailable()
    }
}
