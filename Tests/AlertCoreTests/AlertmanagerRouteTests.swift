import AlertCore
import Foundation
import Testing

/// The routing tree of Alertmanager's own route tests (`dispatch/route_test.go`,
/// `TestRouteMatchers`), written as a tenant's `routes`: the same labels end in the same
/// receivers, with the same inherited grouping and timing, in the same order.
@Suite struct AlertmanagerRouteTests {
    static let tree = #"""
        {"receiver": "notify-def", "routes": [
          {"matchers": ["owner=\"team-A\"", "level!=\"critical\""], "receiver": "notify-A", "routes": [
            {"matchers": ["env=\"testing\"", "baz!~\".*quux\""], "receiver": "notify-testing", "group_by": ["..."]},
            {"matchers": ["env=\"production\""], "receiver": "notify-productionA", "group_wait": "1m", "continue": true},
            {"matchers": ["env=~\"produ.*\"", "job=~\".*\""], "receiver": "notify-productionB",
             "group_wait": "30s", "group_interval": "5m", "repeat_interval": "1h", "group_by": ["job"]}]},
          {"matchers": ["owner=~\"team-(B|C)\""], "group_by": ["foo", "bar"], "group_wait": "2m", "receiver": "notify-BC"},
          {"matchers": ["group_by=\"role\""], "group_by": ["role"], "routes": [
            {"matchers": ["env=\"testing\""], "receiver": "notify-testing", "routes": [
              {"matchers": ["wait=\"long\""], "group_wait": "2m"}]}]}]}
        """#

    struct Expected: Sendable, CustomStringConvertible {
        var labels: [String: String]
        var routes: [(receiver: String, groupBy: GroupBy, wait: TimeInterval, interval: TimeInterval, repeatInterval: TimeInterval)]
        var description: String { labels.description }
    }

    /// Alertmanager's defaults: no grouping labels, 30s, 5m, 4h.
    static let cases: [Expected] = [
        Expected(labels: ["owner": "team-A"], routes: [("notify-A", .labels([]), 30, 300, 14_400)]),
        Expected(labels: ["owner": "team-A", "env": "unset"], routes: [("notify-A", .labels([]), 30, 300, 14_400)]),
        Expected(labels: ["owner": "team-C"], routes: [("notify-BC", .labels(["foo", "bar"]), 120, 300, 14_400)]),
        Expected(labels: ["owner": "team-A", "env": "testing"], routes: [("notify-testing", .all, 30, 300, 14_400)]),
        Expected(
            labels: ["owner": "team-A", "env": "production"],
            routes: [("notify-productionA", .labels([]), 60, 300, 14_400), ("notify-productionB", .labels(["job"]), 30, 300, 3_600)]),
        Expected(labels: ["group_by": "role"], routes: [("notify-def", .labels(["role"]), 30, 300, 14_400)]),
        Expected(labels: ["env": "testing", "group_by": "role"], routes: [("notify-testing", .labels(["role"]), 30, 300, 14_400)]),
        Expected(
            labels: ["env": "testing", "group_by": "role", "wait": "long"], routes: [("notify-testing", .labels(["role"]), 120, 300, 14_400)]),
    ]

    func route() throws -> Route {
        let receivers = ["notify-def", "notify-A", "notify-testing", "notify-productionA", "notify-productionB", "notify-BC"]
            .map { #"{"name": "\#($0)", "webhook": {"url": "http://127.0.0.1:1/\#($0)"}}"# }.joined(separator: ", ")
        let json = #"""
            {"id": "acme", "auth": {"issuer": "https://idp.acme.example", "audience": "alertd", "jwks": {"file": "jwks.json"}},
             "routes": \#(Self.tree), "receivers": [\#(receivers)]}
            """#
        let document = try JSONValue.parse(Data(json.utf8))
        return try TenantConfig.parse(document, file: "acme/tenant.yaml", expectedID: "acme", receivers: WebhookOnlyValidator()).route
    }

    @Test(arguments: cases)
    func sameReceiversGroupingAndTimingAsAlertmanager(expected: Expected) throws {
        let matched = try route().match(labels: expected.labels, rating: nil)
        #expect(matched.map(\.receiver.rawValue) == expected.routes.map(\.receiver))
        for (route, want) in zip(matched, expected.routes) {
            #expect(route.groupBy == want.groupBy, "\(route.receiver)")
            #expect(route.groupWait == want.wait && route.groupInterval == want.interval && route.repeatInterval == want.repeatInterval)
        }
    }

    @Test func alertsOfOneGroupShareItsKeyAndOthersDoNot() throws {
        let tree = try route()
        func keys(_ labels: [String: String]) -> [String] {
            tree.memberships(labels: labels, rating: nil, fingerprint: Fingerprint(labels: labels)).map(\.group.key)
        }
        #expect(keys(["owner": "team-B", "foo": "1", "bar": "2", "x": "a"]) == keys(["owner": "team-C", "foo": "1", "bar": "2", "x": "b"]))
        #expect(keys(["owner": "team-B", "foo": "1"]) != keys(["owner": "team-B", "foo": "2"]))
        #expect(
            keys(["owner": "team-A", "env": "testing", "a": "1"]) != keys(["owner": "team-A", "env": "testing", "a": "2"]),
            "group_by [...] makes every label set its own group")
        let production = tree.memberships(
            labels: ["owner": "team-A", "env": "production", "job": "api"], rating: nil, fingerprint: Fingerprint(labels: [:]))
        #expect(production.map(\.group.labels) == [[:], ["job": "api"]], "each matching route groups by its own labels")
    }
}

/// Alertmanager's dedup rules for a group's notification log.
@Suite struct GroupFlushTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)
    let timing = GroupTiming(wait: 30, interval: 300, repeatInterval: 3_600)

    func record(_ name: String, _ status: AlertStatus) -> AlertRecord {
        let alert = Alert(labels: ["alertname": name], startsAt: start)
        return AlertRecord(
            fingerprint: alert.fingerprint, alert: alert, status: status,
            rating: Rating(score: 0.5, priority: .p3, urgent: false, factors: []), firstSeenAt: start, lastSeenAt: start, occurrences: 1)
    }

    func state(_ members: [AlertRecord], log: NotificationLogEntry?) -> AlertGroupState {
        AlertGroupState(receiver: "hook", group: AlertGroupKey(route: "", labels: [:]), timing: timing, members: members, log: log, traceparent: nil)
    }

    func fingerprints(_ names: String...) -> Set<Fingerprint> { Set(names.map { record($0, .firing).fingerprint }) }

    @Test func aNewGroupNotifiesOnlyWhenSomethingFires() {
        let now = start
        #expect(state([record("A", .firing)], log: nil).flush(tenant: TenantID("acme")!, at: now, sendsResolved: true, muted: []).notification != nil)
        let onlyResolved = state([record("A", .resolved)], log: nil).flush(tenant: TenantID("acme")!, at: now, sendsResolved: true, muted: [])
        #expect(onlyResolved.notification == nil && onlyResolved.log == nil)
        #expect(onlyResolved.leaving == [record("A", .resolved).fingerprint])
    }

    @Test func changesAndTheRepeatIntervalDecide() {
        let tenant = TenantID("acme")!
        let sent = NotificationLogEntry(firing: fingerprints("A"), resolved: [], sentAt: start)
        let later = start.addingTimeInterval(300)
        #expect(state([record("A", .firing)], log: sent).flush(tenant: tenant, at: later, sendsResolved: true, muted: []).notification == nil)
        let added = state([record("A", .firing), record("B", .firing)], log: sent).flush(tenant: tenant, at: later, sendsResolved: true, muted: [])
        #expect(added.notification?.alerts.count == 2, "a new firing alert is news")
        let repeated = state([record("A", .firing)], log: sent).flush(
            tenant: tenant, at: start.addingTimeInterval(3_600), sendsResolved: true, muted: [])
        #expect(repeated.notification != nil, "the repeat interval passed")
        let partly = state([record("A", .firing), record("B", .resolved)], log: NotificationLogEntry(firing: fingerprints("A", "B"), resolved: [], sentAt: start))
        #expect(partly.flush(tenant: tenant, at: later, sendsResolved: true, muted: []).notification?.resolved.count == 1)
        #expect(partly.flush(tenant: tenant, at: later, sendsResolved: false, muted: []).notification == nil, "send_resolved: false")
    }

    @Test func allResolvedIsToldOnceAndRecordedEvenWithoutSendResolved() {
        let tenant = TenantID("acme")!
        let sent = NotificationLogEntry(firing: fingerprints("A"), resolved: [], sentAt: start)
        let resolved = state([record("A", .resolved)], log: sent)
        let told = resolved.flush(tenant: tenant, at: start.addingTimeInterval(300), sendsResolved: true, muted: [])
        #expect(told.notification?.status == .resolved)
        let quiet = resolved.flush(tenant: tenant, at: start.addingTimeInterval(300), sendsResolved: false, muted: [])
        #expect(quiet.notification == nil && quiet.log?.firing == [], "the log forgets the alert so a new episode notifies")
    }

    @Test func mutedAlertsCountAsNotFiring() {
        let tenant = TenantID("acme")!
        let muted = state([record("A", .firing)], log: nil).flush(tenant: tenant, at: start, sendsResolved: true, muted: fingerprints("A"))
        #expect(muted.notification == nil)
    }
}
