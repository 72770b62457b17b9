import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import alertd

/// Alertmanager's API v2 on a tenant's data, on both stores: the shapes amtool, Grafana and
/// Karma read, Alertmanager's filters and silence rules, and no way into another tenant.
@Suite struct AlertmanagerAPITests {
    let api = AlertAPITests()

    /// A deployment whose acme tenant also mutes warnings while a critical alert of the same
    /// alertname and service fires.
    func withApp(_ backend: StoreBackend, _ body: @Sendable (any TestClientProtocol, TestDeployment) async throws -> Void) async throws {
        let deployment = try TestDeployment(backend: backend)
        defer { deployment.remove() }
        let path = "\(deployment.tenantsDirectory)/\(deployment.acme)/tenant.yaml"
        let yaml = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
            of: "receivers:",
            with: """
                inhibit_rules:
                  - source_matchers: ['severity="critical"']
                    target_matchers: ['severity="warning"']
                    equal: [alertname, service]
                receivers:
                """)
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let app = try await buildApplication(try deployment.settings(), logger: deployment.logger)
        try await app.test(.router) { client in try await body(client, deployment) }
    }

    func list(_ response: TestResponse) throws -> [[String: Any]] {
        #expect(response.status == .ok)
        return try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [[String: Any]])
    }

    static let alerts = #"""
        [{"labels": {"alertname": "DiskFull", "service": "db", "severity": "critical"}, "annotations": {"summary": "disk 95% full"},
          "generatorURL": "http://prometheus:9090/graph"},
         {"labels": {"alertname": "DiskFull", "service": "db", "severity": "warning"}},
         {"labels": {"alertname": "Chatter", "service": "web", "severity": "info"}}]
        """#

    @Test(arguments: StoreBackend.allCases)
    func alertsShowTheirReceiversMutesAndRating(backend: StoreBackend) async throws {
        try await withApp(backend) { client, deployment in
            let writer = try await deployment.token("acme", "alerts:write")
            let reader = try await deployment.token("acme", "alerts:read")
            #expect(try await api.post(client, "/api/v2/alerts", token: writer, body: Self.alerts).status == .ok)

            let alerts = try list(try await api.get(client, "/api/v2/alerts", token: reader))
            #expect(alerts.count == 3)
            let critical = try #require(alerts.first { ($0["labels"] as? [String: String])?["severity"] == "critical" })
            let warning = try #require(alerts.first { ($0["labels"] as? [String: String])?["severity"] == "warning" })
            let info = try #require(alerts.first { ($0["labels"] as? [String: String])?["severity"] == "info" })
            #expect((critical["status"] as? [String: Any])?["state"] as? String == "active")
            #expect((warning["status"] as? [String: Any])?["state"] as? String == "suppressed")
            #expect((warning["status"] as? [String: Any])?["inhibitedBy"] as? [String] == [critical["fingerprint"] as? String].compactMap { $0 })
            #expect((info["receivers"] as? [[String: String]])?.map { $0["name"] } == ["quiet"])
            #expect((critical["receivers"] as? [[String: String]])?.map { $0["name"] } == ["hook"])
            #expect(critical["generatorURL"] as? String == "http://prometheus:9090/graph")
            #expect(critical["endsAt"] as? String == "0001-01-01T00:00:00Z", "no end yet: Go's zero time")
            #expect(critical["score"] is Double && critical["priority"] is String, "alertd's rating rides along")

            let filtered = try list(try await api.get(client, "/api/v2/alerts?filter=severity%3D~%22crit.*%7Cinfo%22", token: reader))
            #expect(filtered.count == 2)
            #expect(try list(try await api.get(client, "/api/v2/alerts?inhibited=false", token: reader)).count == 2)
            #expect(try list(try await api.get(client, "/api/v2/alerts?active=false", token: reader)).count == 1, "only the muted one")
            #expect(try list(try await api.get(client, "/api/v2/alerts?receiver=qu.*", token: reader)).count == 1)
            #expect(try list(try await api.get(client, "/api/v2/alerts?receiver=qu", token: reader)).isEmpty, "anchored, as in Alertmanager")
            try api.expectProblem(try await api.get(client, "/api/v2/alerts?filter=%3Dx", token: reader), .badRequest, field: "filter[0]")
            try api.expectProblem(try await api.get(client, "/api/v2/alerts?receiver=(", token: reader), .badRequest, field: "receiver")
            try api.expectProblem(try await api.get(client, "/api/v2/alerts?silenced=maybe", token: reader), .badRequest, field: "silenced")

            let groups = try list(try await api.get(client, "/api/v2/alerts/groups", token: reader))
            #expect(groups.count == 3, "group_by ... makes each alert its own group")
            #expect(Set(groups.compactMap { ($0["receiver"] as? [String: String])?["name"] }) == ["hook", "quiet"])
            let quiet = try #require(groups.first { ($0["receiver"] as? [String: String])?["name"] == "quiet" })
            #expect(quiet["routeLabels"] as? [String: String] == ["severity": "info"])
            #expect((quiet["alerts"] as? [Any])?.count == 1)

            let other = try await deployment.token("globex", "alerts:read")
            #expect(try list(try await api.get(client, "/api/v2/alerts", token: other)).isEmpty, "another tenant sees none")
            #expect(try list(try await api.get(client, "/api/v2/alerts/groups", token: other)).isEmpty)
            try api.expectProblem(try await api.get(client, "/api/v2/alerts", token: writer), .forbidden)
            let anonymous = try await client.execute(uri: "/api/v2/alerts", method: .get)
            #expect(anonymous.status == .unauthorized)

            let resolve = #"[{"labels": {"alertname": "Chatter", "service": "web", "severity": "info"}, "endsAt": "2020-01-01T00:00:00Z"}]"#
            #expect(try await api.post(client, "/api/v2/alerts", token: writer, body: resolve).status == .ok, "only endsAt: resolves")
            #expect(try list(try await api.get(client, "/api/v2/alerts", token: reader)).count == 2, "resolved alerts are not listed")
        }
    }

    @Test func aGeneratorURLThatIsNotAURIIsRefusedOrLeftOut() async throws {
        try await withApp(.sqlite) { client, deployment in
            let writer = try await deployment.token("acme", "alerts:write")
            let reader = try await deployment.token("acme", "alerts:read")
            let relative = #"[{"labels": {"alertname": "A"}}, {"labels": {"alertname": "B"}, "generatorURL": ":\#u{6c2cc}"}]"#
            try api.expectProblem(
                try await api.post(client, "/api/v2/alerts", token: writer, body: relative), .unprocessableContent, field: "[1].generatorURL")
            #expect(try list(try await api.get(client, "/api/v2/alerts", token: reader)).isEmpty, "a refused batch stores nothing")

            let native = #"{"labels": {"alertname": "Native"}, "generatorURL": "see the runbook"}"#
            #expect(try await api.post(client, "/v1/alerts", token: writer, body: native).status == .accepted, "the native API takes any text")
            let alerts = try list(try await api.get(client, "/api/v2/alerts", token: reader))
            #expect(alerts.count == 1)
            #expect(alerts.first.map { $0.keys.contains("generatorURL") } == false, "Alertmanager's view leaves out what is not a URI")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func silencesFollowAlertmanagersRulesWithinTheTenant(backend: StoreBackend) async throws {
        try await withApp(backend) { client, deployment in
            let writer = try await deployment.token("acme", "alerts:write", "silences:write")
            let reader = try await deployment.token("acme", "alerts:read")
            let other = try await deployment.token("globex", "alerts:read", "silences:write")
            #expect(try await api.post(client, "/api/v2/alerts", token: writer, body: Self.alerts).status == .ok)
            let endsAt = RFC3339Text.in(hours: 1)
            let startsAt = RFC3339Text.in(hours: -1)
            let body = """
                {"matchers": [{"name": "alertname", "value": "Disk.*", "isRegex": true}, {"name": "severity", "value": "info", "isRegex": false, "isEqual": false}],
                 "startsAt": "\(startsAt)", "endsAt": "\(endsAt)", "createdBy": "someone-else", "comment": "disk swap"}
                """
            try api.expectProblem(try await api.post(client, "/api/v2/silences", token: reader, body: body), .forbidden)
            let created = try await api.post(client, "/api/v2/silences", token: writer, body: body)
            #expect(created.status == .ok)
            let id = try #require(try api.json(created)["silenceID"] as? String)
            #expect(UUID(uuidString: id) != nil, "silence ids are UUIDs")

            let silence = try api.json(try await api.get(client, "/api/v2/silence/\(id)", token: reader))
            #expect((silence["status"] as? [String: String])?["state"] == "active")
            #expect(silence["createdBy"] as? String == "tester", "the creator is the token's subject")
            let matchers = try #require(silence["matchers"] as? [[String: Any]])
            #expect(matchers.map { $0["name"] as? String } == ["alertname", "severity"])
            #expect(matchers.map { $0["isEqual"] as? Bool } == [true, false])
            #expect(matchers.map { $0["isRegex"] as? Bool } == [true, false])

            let alerts = try list(try await api.get(client, "/api/v2/alerts?silenced=false", token: reader))
            #expect(alerts.compactMap { ($0["labels"] as? [String: String])?["severity"] } == ["info"])
            let muted = try list(try await api.get(client, "/api/v2/alerts?filter=severity%3D%22critical%22", token: reader))
            #expect((muted.first?["status"] as? [String: Any])?["silencedBy"] as? [String] == [id])
            #expect(try list(try await api.get(client, "/api/v2/silences?filter=alertname%3D~%22Disk.*%22", token: reader)).count == 1)
            #expect(try list(try await api.get(client, "/api/v2/silences?filter=alertname%3D%22Disk%22", token: reader)).isEmpty)

            let longer = body.replacingOccurrences(of: "{\"matchers\"", with: "{\"id\": \"\(id)\", \"matchers\"")
                .replacingOccurrences(of: endsAt, with: RFC3339Text.in(hours: 2))
                .replacingOccurrences(of: "\"startsAt\": \"\(startsAt)\", ", with: "\"startsAt\": \"\(silence["startsAt"] as? String ?? "")\", ")
            let updated = try await api.post(client, "/api/v2/silences", token: writer, body: longer)
            #expect(try api.json(updated)["silenceID"] as? String == id, "same matchers and start: updated in place")
            let changed = longer.replacingOccurrences(of: "Disk.*", with: "DiskFull")
            let replaced = try #require(try api.json(try await api.post(client, "/api/v2/silences", token: writer, body: changed))["silenceID"] as? String)
            #expect(replaced != id, "new matchers: a new silence")
            let old = try api.json(try await api.get(client, "/api/v2/silence/\(id)", token: reader))
            #expect((old["status"] as? [String: String])?["state"] == "expired", "and the old one expired")

            let unknown = longer.replacingOccurrences(of: id, with: UUID().uuidString.lowercased())
            try api.expectProblem(try await api.post(client, "/api/v2/silences", token: writer, body: unknown), .notFound)
            let everything = #"{"matchers": [{"name": "alertname", "value": ".*", "isRegex": true}], "endsAt": "\#(endsAt)", "createdBy": "x", "comment": "all"}"#
            try api.expectProblem(try await api.post(client, "/api/v2/silences", token: writer, body: everything), .badRequest, field: "matchers")
            let noComment = #"{"matchers": [{"name": "a", "value": "b", "isRegex": false}], "endsAt": "\#(endsAt)", "createdBy": "x"}"#
            try api.expectProblem(try await api.post(client, "/api/v2/silences", token: writer, body: noComment), .badRequest, field: "comment")
            try api.expectProblem(try await api.post(client, "/api/v2/silences", token: writer, body: #"{"matchers": "x"}"#), .badRequest, field: "matchers")
            let forged = #"{"matchers": [{"name": "a", "value": "b", "isRegex": false}, {"name": "severity!", "value": "critical", "isRegex": false}], "endsAt": "\#(endsAt)", "comment": "flip"}"#
            try api.expectProblem(try await api.post(client, "/api/v2/silences", token: writer, body: forged), .badRequest, field: "matchers[1]")

            #expect(try list(try await api.get(client, "/api/v2/silences", token: other)).isEmpty, "another tenant sees none")
            try api.expectProblem(try await api.get(client, "/api/v2/silence/\(replaced)", token: other), .notFound)
            let foreign = try await client.execute(uri: "/api/v2/silence/\(replaced)", method: .delete, headers: [.authorization: "Bearer \(other)"])
            #expect(foreign.status == .notFound)
            let hijack = changed.replacingOccurrences(of: id, with: replaced)
            try api.expectProblem(try await api.post(client, "/api/v2/silences", token: other, body: hijack), .notFound)
            let still = try api.json(try await api.get(client, "/api/v2/silence/\(replaced)", token: reader))
            #expect((still["status"] as? [String: String])?["state"] == "active", "untouched by the other tenant")

            let expired = try await client.execute(uri: "/api/v2/silence/\(replaced)", method: .delete, headers: [.authorization: "Bearer \(writer)"])
            #expect(expired.status == .ok)
            #expect(try list(try await api.get(client, "/api/v2/alerts?silenced=false", token: reader)).count == 3)
        }
    }

    @Test func statusDescribesTheTenantAsAnAlertmanagerWithoutSecrets() async throws {
        try await withApp(.sqlite) { client, deployment in
            let reader = try await deployment.token("acme", "alerts:read")
            let status = try api.json(try await api.get(client, "/api/v2/status", token: reader))
            #expect((status["cluster"] as? [String: Any])?["status"] as? String == "disabled")
            #expect((status["versionInfo"] as? [String: String])?["revision"]?.hasPrefix("alertd ") == true)
            let original = try #require((status["config"] as? [String: String])?["original"])
            #expect(original.contains("receiver: \"hook\"") && original.contains("matchers: [\"severity=\\\"info\\\"\"]"))
            #expect(original.contains("source_matchers: [\"severity=\\\"critical\\\"\"]"))
            #expect(!original.contains("HOOK_URL") && !original.contains("webhook:"), "receiver settings stay out")
            let receivers = try list(try await api.get(client, "/api/v2/receivers", token: reader))
            #expect(receivers.compactMap { $0["name"] as? String } == ["hook", "quiet"])

            let missing = try await client.execute(
                uri: "/api/v2/silence/unknown", method: .get, headers: [.authorization: "Bearer \(reader)", .accept: "application/json"])
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "application/json", "amtool reads Alertmanager's error body, a JSON string")
            #expect(try JSONDecoder().decode(String.self, from: Data(buffer: missing.body)) == "no silence with id unknown")
            try api.expectProblem(try await api.get(client, "/api/v2/silence/unknown", token: reader), .notFound)
        }
    }
}

/// RFC 3339 times relative to now, for request bodies.
enum RFC3339Text {
    static func `in`(hours: Double) -> String {
        Date().addingTimeInterval(hours * 3_600).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
