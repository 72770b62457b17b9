import AlertCore
import Foundation
import Sinks
@testable import TenantFiles
import Testing


/// `alertd tenants import` on Alertmanager configurations written in the shapes of
/// Alertmanager's own examples (Tests/Fixtures/alertmanager): a valid tenant, the same
/// receivers for the same labels, no secret copied, every loss named by its path.
/// scripts/check-alertmanager-import.py compares the routing with amtool's for every case.
@Suite struct AlertmanagerConfigImportTests {
    static let fixtures = TenantDirectoryTests.fixtures + "/alertmanager"

    func imported(_ name: String) throws -> (AlertmanagerConfigImport, TenantConfig, String) {
        let text = try String(contentsOfFile: "\(Self.fixtures)/\(name)", encoding: .utf8)
        let result = try AlertmanagerConfigImport(
            text, tenant: TenantID("imported")!, issuer: "https://idp.example.org", jwksURL: "https://idp.example.org/jwks.json")
        let config = try TenantConfig.parse(
            try YAMLDocument.parse(result.tenantYAML), file: nil, expectedID: "imported", receivers: SinkRegistry.standard)
        return (result, config, text)
    }

    func receivers(_ config: TenantConfig, _ labels: [String: String]) -> [String] {
        config.route.match(labels: labels, rating: nil).map(\.receiver.rawValue)
    }

    @Test func theClassicExampleRoutesAsInAlertmanager() throws {
        let (result, config, _) = try imported("simple.yml")
        #expect(receivers(config, ["service": "cart", "severity": "critical"]) == ["shop-pager"], "match_re, then a nested match")
        #expect(receivers(config, ["service": "database", "owner": "shop"]) == ["shop-pager"], "continue, and no later sibling matches")
        #expect(receivers(config, ["service": "database", "owner": "search"]) == ["search-pager"])
        #expect(receivers(config, ["team": "frontend", "env": "prod"]) == ["frontend-slack", "frontend-mails"], "continue")
        #expect(receivers(config, ["alertname": "Anything"]) == ["ops-mails"], "the root's receiver")
        #expect(config.route.routes[2].groupBy == .labels(["alertname", "cluster", "database"]))
        #expect(config.inhibitRules.count == 2, "source_match and target_match_re carried over")
        #expect(config.receivers["ops-mails"]?.discards == true, "an e-mail-only receiver discards")
        let paths = Set(result.omissions.map(\.path))
        #expect(paths.contains("receivers[0].email_configs"))
        #expect(paths.contains("templates"))
    }

    @Test func secretsBecomeReferencesAndAreNeverCopied() throws {
        let (result, config, text) = try imported("receivers.yml")
        let secrets = [
            "fake-webhook-basic-password-61d9", "fake-webhook-bearer-credentials-a5f3", "fakeGlobalSlackWebhook02", "fakeOwnSlackWebhook03",
            "fakepdroutingkeyreceivers00000a1", "fakepdservicekeyreceivers0000b2", "fake-opsgenie-api-key-receivers-2e8b",
            "fake-telegram-bot-token-c3d4", "fake-global-smtp-password-b7e4",
        ]
        for secret in secrets {
            #expect(text.contains(secret), "the fixture holds \(secret)")
            #expect(!result.tenantYAML.contains(secret), "\(secret) is not copied")
            #expect(!result.variables.contains { $0.origin.contains(secret) })
        }
        #expect(config.receivers["slack-own"]?.settings["url"] == .string("env:IMPORTED_SLACK_OWN_SLACK_URL"))
        #expect(config.receivers["slack-global"]?.settings["url"] == .string("env:IMPORTED_SLACK_API_URL"), "the global URL, once")
        #expect(config.receivers["slack-file"]?.settings["url"] == .string("file:/etc/alertmanager/secrets/slack-url"))
        #expect(config.receivers["slack-own"]?.settings["send_resolved"] == .bool(false), "Alertmanager's Slack default")
        #expect(config.receivers["webhook-plain"]?.settings["url"] == .string("http://alert-sink.monitoring.svc:9099/plain"))
        #expect(config.receivers["webhook-plain"]?.settings["max_alerts"] == .number(20))
        #expect(config.receivers["blackhole"]?.discards == true)
        #expect(config.receivers["slack-and-pd"]?.kind == "pagerduty", "the first integration by kind name")
        let names = result.variables.map(\.name)
        #expect(names.contains("IMPORTED_WEBHOOK_PLAIN_WEBHOOK_SECRET"), "the new HMAC key is listed")
        #expect(Set(names).count == names.count)
        let paths = result.omissions.map(\.path)
        for path in [
            "receivers[12].opsgenie_configs", "receivers[1].webhook_configs[0].http_config", "receivers[4].webhook_configs[1]",
            "receivers[9].pagerduty_configs[0].service_key", "receivers[14].slack_configs[0]", "global.smtp_auth_password",
        ] {
            #expect(paths.contains(path), "\(path) is named")
        }
    }

    @Test func matcherStringsSplitOutsideQuotes() {
        #expect(Matcher.split(#"{service="batch",job="nightly, legacy"}"#) == [#"service="batch""#, #"job="nightly, legacy""#])
        #expect(Matcher.split(#"team="data", component=~"kafka|zookeeper""#) == [#"team="data""#, #"component=~"kafka|zookeeper""#])
        #expect(Matcher.split(#"a="say \"x, y\"""#) == [#"a="say \"x, y\"""#])
        #expect(Matcher.split("env = prod") == ["env = prod"])
    }

    @Test func durationsAndRatingLabelsAreHandled() throws {
        #expect(AlertmanagerTranslation.alertmanagerSeconds("1y") == 31_536_000)
        #expect(AlertmanagerTranslation.durationText(90) == "1m30s")
        let text = """
            route:
              receiver: a
              repeat_interval: 1y
              routes:
                - matchers: ['priority="high"']
                  receiver: b
                - match: {team: "x"}
                  receiver: b
                  group_wait: soon
            receivers: [{name: a}, {name: b}]
            """
        let result = try AlertmanagerConfigImport(text, tenant: TenantID("team")!, issuer: "https://i.example", jwksURL: "https://i.example/k")
        #expect(result.tenantYAML.contains("repeat_interval: 365d"))
        #expect(result.omissions.map(\.path) == ["route.routes[0].matchers[0]", "route.routes[1].group_wait"])
        #expect(throws: ConfigProblems.self) {
            try AlertmanagerConfigImport("receivers: []", tenant: TenantID("team")!, issuer: "https://i.example", jwksURL: "https://i.example/k")
        }
    }
}
