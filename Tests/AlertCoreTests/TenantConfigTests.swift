import AlertCore
import Foundation
import Testing

/// Accepts `webhook` receivers with a `url`; enough to exercise the tenant parser.
struct WebhookOnlyValidator: ReceiverValidating {
    let kinds = ["webhook"]

    struct Settings: ReceiverSettings {
        let sendResolved = true
    }

    func read(kind: String, settings: JSONValue, at path: String) -> Result<any ReceiverSettings, ConfigProblems> {
        settings["url"] == nil ? .failure(ConfigProblems([ConfigProblem(path: "\(path).url", reason: "is required")])) : .success(Settings())
    }
}

@Suite struct TenantConfigTests {
    func parse(_ json: String, expectedID: String? = "acme") throws(ConfigProblems) -> TenantConfig {
        let document = try! JSONValue.parse(Data(json.utf8))
        return try TenantConfig.parse(document, file: "acme/tenant.yaml", expectedID: expectedID, receivers: WebhookOnlyValidator())
    }

    func problems(_ json: String) -> [ConfigProblem] {
        do {
            _ = try parse(json)
            return []
        } catch {
            return error.problems
        }
    }

    let valid = #"""
        {"id": "acme", "auth": {"issuer": "https://idp.acme.example", "audience": "alertd", "jwks": {"file": "jwks.json"}},
         "quotas": {"maxBodyBytes": 2048, "ingestPerSecond": 5},
         "rating": {"weights": {"severity": 2, "reliability": 1, "history": 1}, "threshold": 0.7,
                    "severityMap": {"page": 1.0}, "historyHalfLife": "3d", "responseTarget": "10m"},
         "delivery": {"initialBackoff": "200ms", "maxBackoff": "1m", "giveUpAfter": "1h"},
         "routes": {"receiver": "hook", "group_by": ["alertname"], "routes": [
             {"matchers": ["severity=\"critical\""], "receiver": "pager", "continue": true,
              "routes": [{"matchers": ["score>=0.9"], "receiver": "hook"}]}]},
         "receivers": [{"name": "hook", "webhook": {"url": "http://127.0.0.1:1/x"}}, {"name": "pager", "webhook": {"url": "env:PAGER"}}]}
        """#

    @Test func parsesAValidTenant() throws {
        let config = try parse(valid)
        #expect(config.id.rawValue == "acme")
        #expect(config.auth.keys == .file("jwks.json"))
        #expect(config.auth.tenantClaim == "tenant")
        #expect(config.auth.algorithms == ["ES256", "RS256", "EdDSA"])
        #expect(config.quotas.maxBodyBytes == 2048)
        #expect(config.quotas.maxBatchSize == 1000)
        #expect(config.rating.threshold == 0.7)
        #expect(config.rating.severityMap["page"] == 1.0)
        #expect(config.rating.severityMap["critical"] == 1.0)
        #expect(config.rating.historyHalfLife == 3 * 86_400)
        #expect(config.delivery.initialBackoff == 0.2)
        #expect(config.route.routes[0].path == "0")
        #expect(config.route.routes[0].routes[0].path == "0.0")
        #expect(config.route.routes[0].groupBy == .labels(["alertname"]))
        #expect(config.receivers.keys.sorted() == ["hook", "pager"])
    }

    @Test func aReceiverWithoutASinkDiscardsAndOneWithTwoIsRefused() throws {
        let blackhole = valid.replacingOccurrences(of: #"{"name": "pager", "webhook": {"url": "env:PAGER"}}"#, with: #"{"name": "pager"}"#)
        let pager = try #require(try parse(blackhole).receivers["pager"])
        #expect(pager.discards && pager.kind == ReceiverConfig.noSink)
        #expect(try parse(valid).receivers["pager"]?.discards == false)
        let two = valid.replacingOccurrences(
            of: #"{"name": "pager", "webhook": {"url": "env:PAGER"}}"#, with: #"{"name": "pager", "webhook": {"url": "env:PAGER"}, "slack": {}}"#)
        struct WebhookAndSlack: ReceiverValidating {
            let kinds = ["webhook", "slack"]
            func read(kind: String, settings: JSONValue, at path: String) -> Result<any ReceiverSettings, ConfigProblems> {
                .success(WebhookOnlyValidator.Settings())
            }
        }
        do {
            _ = try TenantConfig.parse(try JSONValue.parse(Data(two.utf8)), file: nil, expectedID: "acme", receivers: WebhookAndSlack())
            Issue.record("a receiver with two sinks was accepted")
        } catch let error as ConfigProblems {
            #expect(error.problems.map(\.path).contains("receivers[1]"))
        }
    }

    @Test func reportsEveryProblemWithItsPath() {
        let found = problems(
            #"""
            {"id": "Acme!", "auth": {"issuer": "not-a-url", "audience": "alertd", "jwks": {}, "algorithms": ["HS256"]},
             "quotas": {"maxBodyBytes": 10, "surprise": 1},
             "rating": {"weights": {"severity": -1}, "threshold": 2, "historyHalfLife": "5 minutes"},
             "routes": {"receiver": "hook", "routes": [{"receiver": "nowhere", "matchers": ["severity==\"x\""]}]},
             "receivers": [{"name": "hook", "webhook": {}}, {"name": "hook", "webhook": {"url": "x"}}]}
            """#)
        let paths = Set(found.map(\.path))
        for expected in [
            "id", "auth.issuer", "auth.algorithms[0]", "auth.jwks", "quotas.maxBodyBytes", "quotas.surprise",
            "rating.weights.severity", "rating.threshold", "rating.historyHalfLife", "routes.routes[0].matchers[0]",
            "routes.routes[0].receiver", "receivers[0].webhook.url", "receivers[1].name",
        ] {
            #expect(paths.contains(expected), "missing \(expected) in \(paths.sorted())")
        }
        #expect(found.allSatisfy { $0.file == "acme/tenant.yaml" })
    }

    @Test func keysCanComeFromAURLWithARefreshInterval() throws {
        let config = try parse(valid.replacingOccurrences(
            of: #""jwks": {"file": "jwks.json"}"#, with: #""jwks": {"url": "https://idp.acme.example/jwks", "refreshInterval": "1m"}"#))
        #expect(config.auth.keys == .url("https://idp.acme.example/jwks", refresh: 60))
        let wrong = problems(valid.replacingOccurrences(
            of: #""jwks": {"file": "jwks.json"}"#, with: #""jwks": {"url": "ftp://idp", "refreshInterval": "1s"}"#))
        #expect(Set(wrong.map(\.path)) == ["auth.jwks.url", "auth.jwks.refreshInterval"])
        let both = problems(valid.replacingOccurrences(
            of: #""jwks": {"file": "jwks.json"}"#, with: #""jwks": {"file": "jwks.json", "url": "https://idp.acme.example/jwks"}"#))
        #expect(both.map(\.path) == ["auth.jwks"])
    }

    @Test func integrationKeysAreHashesWithUniqueNames() throws {
        let hash = String(repeating: "0f", count: 32)
        let listed = try parse(valid.replacingOccurrences(
            of: #""jwks": {"file": "jwks.json"}"#, with: #""jwks": {"file": "jwks.json"}, "integrationKeys": [{"name": "datadog", "sha256": "\#(hash)"}]"#))
        #expect(listed.auth.integrationKeys == [IntegrationKey(name: "datadog", sha256: hash)])
        let wrong = problems(valid.replacingOccurrences(
            of: #""jwks": {"file": "jwks.json"}"#,
            with: #"""
                "jwks": {"file": "jwks.json"}, "integrationKeys": [
                    {"name": "a", "sha256": "\#(hash)"}, {"name": "a", "sha256": "\#(hash)"},
                    {"name": "raw", "sha256": "the-key-itself"}, {"name": "upper", "sha256": "\#(hash.uppercased())"}, {"sha256": "\#(hash)", "extra": 1}]
                """#))
        #expect(
            Set(wrong.map(\.path)) == [
                "auth.integrationKeys[1].name", "auth.integrationKeys[1].sha256", "auth.integrationKeys[2].sha256",
                "auth.integrationKeys[3].sha256", "auth.integrationKeys[4].name", "auth.integrationKeys[4].extra",
            ])
    }

    @Test func idMustMatchTheDirectory() {
        #expect(throws: ConfigProblems.self) { try parse(valid, expectedID: "globex") }
    }

    @Test func missingSectionsAreReported() {
        #expect(Set(problems(#"{"id": "acme"}"#).map(\.path)) == ["auth", "routes", "receivers"])
        #expect(problems("[]").map(\.path) == [""])
    }
}

@Suite struct DeliveryPolicyTests {
    @Test func backoffGrowsAndIsCapped() {
        var policy = DeliveryPolicy()
        policy.initialBackoff = 1
        policy.maxBackoff = 30
        let waits = (1...8).map { policy.backoff(afterAttempt: $0, retryAfter: nil, jitter: 1) }
        #expect(waits == [1, 2, 4, 8, 16, 30, 30, 30])
        #expect(policy.backoff(afterAttempt: 3, retryAfter: nil, jitter: 0) == 2)
    }

    @Test func retryAfterWinsWhenLonger() {
        let policy = DeliveryPolicy()
        #expect(policy.backoff(afterAttempt: 1, retryAfter: 120, jitter: 1) == 120)
        #expect(policy.backoff(afterAttempt: 1, retryAfter: 0.1, jitter: 1) == 1)
    }
}

@Suite struct TokenBucketTests {
    @Test func admitsBurstsThenMakesBatchesPayTheirDebt() {
        let start = Date(timeIntervalSince1970: 0)
        var bucket = TokenBucket(rate: 2, burst: 4, now: start)
        #expect(bucket.take(3, at: start) == nil)
        #expect(bucket.take(3, at: start) == nil, "admitted while any token is left, leaving a debt")
        #expect(bucket.take(1, at: start) == 1, "two tokens of debt at two per second")
        #expect(bucket.take(1, at: start.addingTimeInterval(0.5)) == 0.5)
        #expect(bucket.take(1, at: start.addingTimeInterval(1.01)) == nil)
        #expect(bucket.take(1, at: start.addingTimeInterval(100)) == nil)
        #expect(bucket.tokens == 3, "refills to the burst, never beyond")
    }
}

@Suite struct FingerprintTests {
    @Test func ignoresLabelOrderAndDependsOnEveryLabel() {
        let a = Fingerprint(labels: ["alertname": "A", "service": "x"])
        let b = Fingerprint(labels: ["service": "x", "alertname": "A"])
        #expect(a == b)
        #expect(a != Fingerprint(labels: ["alertname": "A", "service": "y"]))
        #expect(Fingerprint(labels: ["ab": "c"]) != Fingerprint(labels: ["a": "bc"]))
        #expect(a.rawValue.count == 16)
        #expect(Fingerprint(a.rawValue) == a)
        #expect(Fingerprint("xyz") == nil)
    }
}

@Suite struct SecretReferenceTests {
    @Test func parsesReferencesOnly() {
        #expect(SecretReference("env:SLACK_URL") == .environment("SLACK_URL"))
        #expect(SecretReference("file:/run/secrets/x") == .file("/run/secrets/x"))
        #expect(SecretReference("https://hooks.slack.com/services/T/B/X") == nil)
        #expect(SecretReference("env:") == nil)
        #expect(SecretReference("env:BAD-NAME") == nil)
        #expect(SecretReference("file:") == nil)
    }
}
