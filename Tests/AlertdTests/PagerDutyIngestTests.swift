import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import alertd

/// `POST /v2/enqueue`, PagerDuty's Events API v2: the routing key names the tenant, a trigger
/// becomes an alert labelled with its `dedup_key`, acknowledge and resolve act on it.
@Suite struct PagerDutyIngestTests {
    let acmeKey = TestDeployment.integrationKeys["acme"]!.key
    let globexKey = TestDeployment.integrationKeys["globex"]!.key

    /// PagerDuty's own example trigger, with `routing_key` and `dedup_key` filled in.
    func trigger(key: String, dedupKey: String?, severity: String = "info", eventClass: String = "deploy") -> String {
        let dedup = dedupKey.map { #""dedup_key": "\#($0)","# } ?? ""
        return #"""
            {"payload": {"summary": "Example alert on host1.example.com", "timestamp": "2015-07-17T08:42:58.315+0000",
             "source": "host1.example.com", "severity": "\#(severity)", "component": "postgres", "group": "prod-datapipe",
             "class": "\#(eventClass)", "custom_details": {"ping time": "1500ms", "load avg": 0.75}},
             "routing_key": "\#(key)", \#(dedup) "event_action": "trigger",
             "links": [{"href": "https://example.com/", "text": "Link text"}],
             "client": "Sample Monitoring Service", "client_url": "https://monitoring.example.com"}
            """#
    }

    func event(_ action: String, key: String, dedupKey: String) -> String {
        #"{"routing_key": "\#(key)", "dedup_key": "\#(dedupKey)", "event_action": "\#(action)"}"#
    }

    func enqueue(_ client: some TestClientProtocol, _ body: String, token: String? = nil) async throws -> (TestResponse, [String: Any]) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await client.execute(uri: "/v2/enqueue", method: .post, headers: headers, body: ByteBuffer(string: body))
        return (response, (try? JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]) ?? [:])
    }

    func alert(_ client: some TestClientProtocol, _ fingerprint: String, token: String) async throws -> [String: Any]? {
        let response = try await client.execute(uri: "/v1/alerts/\(fingerprint)", method: .get, headers: [.authorization: "Bearer \(token)"])
        guard response.status == .ok else { return nil }
        return try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
    }

    func firingCount(_ client: some TestClientProtocol, token: String) async throws -> Int {
        let response = try await client.execute(uri: "/v1/alerts?status=firing", method: .get, headers: [.authorization: "Bearer \(token)"])
        let list = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
        return (list?["alerts"] as? [Any])?.count ?? -1
    }

    @Test(arguments: StoreBackend.allCases)
    func theRoutingKeyNamesTheTenantAndDedupKeyTheAlert(backend: StoreBackend) async throws {
        let deployment = try TestDeployment(backend: backend)
        defer { deployment.remove() }
        let app = try await buildApplication(try deployment.settings(), logger: deployment.logger)
        try await app.test(.router) { client in
            let acme = try await deployment.token("acme", "alerts:read")
            let globex = try await deployment.token("globex", "alerts:read")

            let (triggered, answer) = try await enqueue(client, trigger(key: acmeKey, dedupKey: "disk-1"))
            #expect(triggered.status == .accepted)
            #expect(answer["status"] as? String == "success" && answer["dedup_key"] as? String == "disk-1")
            let fingerprint = try #require((answer["alerts"] as? [[String: Any]])?.first?["fingerprint"] as? String)
            let stored = try #require(try await alert(client, fingerprint, token: acme))
            let labels = try #require(stored["labels"] as? [String: String])
            #expect(
                labels == [
                    "alertname": "deploy", "severity": "info", "dedup_key": "disk-1", "instance": "host1.example.com",
                    "service": "prod-datapipe", "component": "postgres",
                ])
            let annotations = try #require(stored["annotations"] as? [String: String])
            #expect(annotations["summary"] == "Example alert on host1.example.com")
            #expect(annotations["details"] == #"{"load avg":0.75,"ping time":"1500ms"}"#)
            #expect(annotations["link"] == "https://example.com/")
            #expect(stored["source"] as? String == "pagerduty/monitoring")
            #expect(stored["generatorURL"] as? String == "https://monitoring.example.com")
            #expect(try await alert(client, fingerprint, token: globex) == nil, "another tenant does not see it")

            let (again, repeated) = try await enqueue(client, trigger(key: acmeKey, dedupKey: "disk-1", severity: "critical", eventClass: "other"))
            #expect(again.status == .accepted)
            #expect((repeated["alerts"] as? [[String: Any]])?.first?["fingerprint"] as? String == fingerprint, "a trigger for a firing dedup_key refreshes it")
            #expect(try await alert(client, fingerprint, token: acme)?["occurrences"] as? Int == 2)

            let (generated, fresh) = try await enqueue(client, trigger(key: acmeKey, dedupKey: nil))
            #expect(generated.status == .accepted)
            let key = try #require(fresh["dedup_key"] as? String)
            #expect(key.count == 32 && key.allSatisfy(\.isHexDigit), "a trigger without a dedup_key gets one, as from PagerDuty")
            #expect(try await firingCount(client, token: acme) == 2)

            let (foreign, dropped) = try await enqueue(client, event("resolve", key: globexKey, dedupKey: "disk-1"))
            #expect(foreign.status == .accepted)
            #expect((dropped["message"] as? String)?.contains("dropped") == true)
            #expect(try await firingCount(client, token: acme) == 2, "another tenant's key cannot resolve acme's alert")

            #expect(try await enqueue(client, event("acknowledge", key: acmeKey, dedupKey: "disk-1")).0.status == .accepted)
            #expect(try await alert(client, fingerprint, token: acme)?["acknowledgedBy"] as? String == "integration-key:monitoring")
            #expect(try await enqueue(client, event("resolve", key: acmeKey, dedupKey: "disk-1")).0.status == .accepted)
            #expect(try await alert(client, fingerprint, token: acme)?["status"] as? String == "resolved")
            #expect(try await firingCount(client, token: acme) == 1)
            let (late, lateAnswer) = try await enqueue(client, event("resolve", key: acmeKey, dedupKey: "disk-1"))
            #expect(late.status == .accepted && (lateAnswer["message"] as? String)?.contains("dropped") == true)
        }
    }

    @Test func refusesUnknownKeysAndInvalidEventsAndStoresNothing() async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let app = try await buildApplication(try deployment.settings(), logger: deployment.logger)
        try await app.test(.router) { client in
            let acme = try await deployment.token("acme", "alerts:read")
            for (name, body, status, field) in [
                ("an unknown key", trigger(key: "0123456789abcdef0123456789abcdef", dedupKey: "x"), HTTPResponse.Status.unauthorized, nil),
                ("no routing_key", #"{"event_action": "trigger", "payload": {}}"#, .unauthorized, nil),
                ("a body that is not JSON", "routing_key=\(acmeKey)", .unauthorized, nil),
                ("no summary", trigger(key: acmeKey, dedupKey: "x").replacingOccurrences(of: #""summary": "Example alert on host1.example.com","#, with: ""), .unprocessableContent, "payload.summary"),
                ("an unknown severity", trigger(key: acmeKey, dedupKey: "x", severity: "sev1"), .unprocessableContent, "payload.severity"),
                ("an unknown action", #"{"routing_key": "\#(acmeKey)", "dedup_key": "x", "event_action": "escalate"}"#, .unprocessableContent, "event_action"),
                ("a resolve without dedup_key", #"{"routing_key": "\#(acmeKey)", "event_action": "resolve"}"#, .unprocessableContent, "dedup_key"),
                ("a blank dedup_key", trigger(key: acmeKey, dedupKey: " "), .unprocessableContent, "dedup_key"),
                ("a long dedup_key", trigger(key: acmeKey, dedupKey: String(repeating: "k", count: 256)), .unprocessableContent, "dedup_key"),
                ("a bad timestamp", trigger(key: acmeKey, dedupKey: "x").replacingOccurrences(of: "2015-07-17T08:42:58.315+0000", with: "yesterday"), .unprocessableContent, "payload.timestamp"),
            ] as [(String, String, HTTPResponse.Status, String?)] {
                let (response, problem) = try await enqueue(client, body)
                #expect(response.status == status, "\(name)")
                #expect(response.headers[.contentType] == "application/problem+json", "\(name)")
                if let field { #expect(problem["field"] as? String == field, "\(name)") }
            }
            #expect(try await firingCount(client, token: acme) == 0, "nothing refused was stored")

            let writer = try await deployment.token("acme", "alerts:write")
            #expect(try await enqueue(client, trigger(key: "not-a-key", dedupKey: "t"), token: writer).0.status == .accepted, "a bearer token works too")
            let reader = try await deployment.token("acme", "alerts:read")
            #expect(try await enqueue(client, trigger(key: acmeKey, dedupKey: "r"), token: reader).0.status == .forbidden, "a token decides, not the key")
            #expect(try await firingCount(client, token: acme) == 1)
        }
    }
}
