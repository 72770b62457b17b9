import AlertCore
import Foundation
import Testing

/// alertd's matchers and routing in Alertmanager's shapes: structured matchers both ways,
/// Go durations, and what mutes an alert.
@Suite struct AlertmanagerFormTests {
    @Test(arguments: [
        (AlertmanagerMatcher(name: "service", value: "db", isRegex: false), "service=\"db\""),
        (AlertmanagerMatcher(name: "env", value: "prod", isRegex: false, isEqual: false), "env!=\"prod\""),
        (AlertmanagerMatcher(name: "job", value: "node|db", isRegex: true), "job=~\"node|db\""),
        (AlertmanagerMatcher(name: "job", value: ".*test", isRegex: true, isEqual: false), "job!~\".*test\""),
        (AlertmanagerMatcher(name: "summary", value: #"say "hi" \ bye"#, isRegex: false), #"summary="say \"hi\" \\ bye""#),
    ])
    func structuredMatchersRoundTrip(matcher: AlertmanagerMatcher, text: String) throws {
        let parsed = try Matcher(matcher)
        #expect(parsed.description == text)
        #expect(parsed.alertmanagerForm == matcher)
        #expect(try Matcher(parsing: text).alertmanagerForm == matcher)
        if !matcher.isRegex { #expect(parsed.matches(labels: [matcher.name: matcher.value], rating: nil) == matcher.isEqual) }
    }

    @Test func ratingMatchersKeepTheirOperatorInTheValue() throws {
        let score = try Matcher(parsing: "score>=0.8")
        #expect(score.isRatingMatcher)
        #expect(score.alertmanagerForm == AlertmanagerMatcher(name: "score", value: ">=0.8", isRegex: false))
        #expect(try Matcher(parsing: "priority<=P2").alertmanagerForm.value == "<=P2")
        #expect(!(try Matcher(parsing: "score_label=\"x\"").isRatingMatcher))
        for text in ["score>=0.8", "score!=0.5", "priority<=P2", "priority=P1"] {
            let form = try Matcher(parsing: text).alertmanagerForm
            #expect(try Matcher(form).description == (try Matcher(parsing: text)).description, "\(text) reads back from \(form)")
        }
    }

    @Test(arguments: ["severity!", "service=\"checkout\",team", "", "1abc", " service "])
    func aStructuredNameMustBeALabelName(name: String) {
        #expect(throws: ConfigProblem.self) { try Matcher(AlertmanagerMatcher(name: name, value: "x", isRegex: false)) }
    }

    @Test func muteStatusNamesTheSilencesAndInhibitingAlerts() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let rating = Rating(score: 0.5, priority: .p3, urgent: false, factors: [])
        func record(_ labels: [String: String], status: AlertStatus = .firing) -> AlertRecord {
            let alert = Alert(labels: labels, startsAt: now)
            return AlertRecord(
                fingerprint: alert.fingerprint, alert: alert, status: status, rating: rating, firstSeenAt: now, lastSeenAt: now, occurrences: 1)
        }
        let critical = record(["alertname": "Disk", "service": "db", "severity": "critical"])
        let warning = record(["alertname": "Disk", "service": "db", "severity": "warning"])
        let elsewhere = record(["alertname": "Disk", "service": "web", "severity": "warning"])
        let rule = InhibitRule(
            sourceMatchers: [try Matcher(parsing: "severity=\"critical\"")], targetMatchers: [try Matcher(parsing: "severity=\"warning\"")],
            equal: ["alertname", "service"])
        let active = Silence(matchers: ["service=\"web\""], startsAt: now, endsAt: now.addingTimeInterval(60), createdBy: "a", comment: "c", createdAt: now)
        let ended = Silence(matchers: ["service=\"db\""], startsAt: now.addingTimeInterval(-60), endsAt: now, createdBy: "a", comment: "c", createdAt: now)
        let rules = MuteRules(silences: [active, ended], inhibitRules: [rule], firing: [critical, warning, elsewhere], at: now)
        #expect(rules.status(of: critical) == MuteStatus())
        #expect(rules.status(of: warning) == MuteStatus(inhibitedBy: [critical.fingerprint]))
        #expect(rules.status(of: elsewhere) == MuteStatus(silencedBy: [active.id]), "no critical alert of service web")
        #expect(!rules.status(of: record(["alertname": "Disk", "service": "web"], status: .resolved)).isMuted, "resolved alerts are not muted")
    }
}
