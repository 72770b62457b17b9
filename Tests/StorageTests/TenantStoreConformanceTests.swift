import AlertCore
import Foundation
import Logging
import Storage
import Testing

/// Every `TenantStore` behaves the same: each test runs against SQLite and PostgreSQL.
@Suite struct TenantStoreConformanceTests {
    let tenant = StoreBackend.freshTenant()
    let policy = RatingPolicy()
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func withStore(_ backend: StoreBackend, _ body: @Sendable (any TenantStoreProvider, any TenantStore) async throws -> Void) async throws {
        let location = try backend.makeLocation()
        defer { if backend == .sqlite { try? FileManager.default.removeItem(atPath: location) } }
        try await backend.withProvider(at: location) { provider in
            try await body(provider, try await provider.store(for: tenant))
        }
    }

    func rated(_ alert: Alert, score: Double = 0.5, at now: Date) -> RatedAlert {
        RatedAlert(
            alert: alert, status: alert.status(at: now),
            rating: Rating(score: score, priority: Priority(score: score, threshold: 0.75), urgent: score >= 0.75, factors: []))
    }

    func firing(_ name: String = "DiskFull", instance: String? = nil) -> Alert {
        var labels = ["alertname": name, "service": "db"]
        labels["instance"] = instance
        return Alert(labels: labels, source: "prometheus", startsAt: start)
    }

    func membership(_ event: AlertEvent, groupBy names: [String]? = nil, wait: TimeInterval = 0) -> GroupMembership {
        let labels = names.map { names in event.alert.labels.filter { names.contains($0.key) } } ?? event.alert.labels
        return GroupMembership(
            receiver: "hook", group: AlertGroupKey(route: "", labels: labels),
            timing: GroupTiming(wait: wait, interval: 60, repeatInterval: 3_600), fingerprint: event.fingerprint)
    }

    /// Routes `event` into a group of its own and flushes the group into the outbox.
    func notify(_ event: AlertEvent, store: any TenantStore, at now: Date) async throws {
        try await store.route(event: event.id, memberships: [membership(event)], traceparent: nil, at: now)
        try await flushDue(store, at: now)
    }

    @discardableResult
    func flushDue(_ store: any TenantStore, at now: Date) async throws -> [GroupFlush] {
        var flushes: [GroupFlush] = []
        for state in try await store.dueGroups(at: now, limit: 10) {
            let flush = state.flush(tenant: store.tenant, at: now, sendsResolved: true, muted: [])
            try await store.apply([flush], at: now)
            flushes.append(flush)
        }
        return flushes
    }

    @Test(arguments: StoreBackend.allCases)
    func repeatedFiringAlertUpdatesOneRow(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let first = try await store.record([rated(firing(), at: start)], at: start, policy: policy)
            let again = try await store.record([rated(firing(), at: start)], at: start.addingTimeInterval(60), policy: policy)
            #expect(first.count == 1)
            #expect(again.isEmpty, "no new event while nothing changed")
            let page = try await store.alerts(AlertQuery())
            #expect(page.alerts.count == 1)
            #expect(page.alerts[0].occurrences == 2)
            #expect(page.alerts[0].lastSeenAt == start.addingTimeInterval(60))
            let escalated = try await store.record([rated(firing(), score: 0.9, at: start)], at: start.addingTimeInterval(120), policy: policy)
            #expect(escalated.map(\.rating.priority) == [.p1], "a new priority is an event")
        }
    }

    /// A repeat keeps the episode's start and what operators said of it; a resolved alert
    /// reported resolved again only moves its last sighting.
    @Test(arguments: StoreBackend.allCases)
    func aRepeatKeepsTheEpisodeAndWhatOperatorsSaid(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let fingerprint = firing().fingerprint
            _ = try await store.record([rated(firing(), at: start)], at: start, policy: policy)
            _ = try await store.acknowledge(fingerprint, by: "oncall", at: start.addingTimeInterval(30), policy: policy)
            _ = try await store.feedback(fingerprint, .actionable, at: start.addingTimeInterval(40), policy: policy)
            var later = firing()
            later.startsAt = start.addingTimeInterval(50)
            later.annotations = ["summary": "still full"]
            _ = try await store.record([rated(later, at: start.addingTimeInterval(60))], at: start.addingTimeInterval(60), policy: policy)
            let repeated = try #require(try await store.alert(fingerprint))
            #expect(repeated.alert.startsAt == start, "the episode keeps its start")
            #expect(repeated.alert.annotations == ["summary": "still full"], "the alert itself is the latest")
            #expect(repeated.acknowledgedBy == "oncall" && repeated.acknowledgedAt == start.addingTimeInterval(30))
            #expect(repeated.feedback == .actionable && repeated.feedbackAt == start.addingTimeInterval(40))
            #expect(repeated.firstSeenAt == start && repeated.occurrences == 2)

            var resolved = later
            resolved.endsAt = start.addingTimeInterval(100)
            let ended = try await store.record([rated(resolved, at: start.addingTimeInterval(120))], at: start.addingTimeInterval(120), policy: policy)
            #expect(ended.map(\.status) == [.resolved])
            let before = try #require(try await store.alert(fingerprint))
            var again = resolved
            again.annotations = ["summary": "a late copy"]
            let seen = try await store.record([rated(again, at: start.addingTimeInterval(180))], at: start.addingTimeInterval(180), policy: policy)
            #expect(seen.isEmpty)
            let after = try #require(try await store.alert(fingerprint))
            #expect(after.lastSeenAt == start.addingTimeInterval(180))
            var unchanged = after
            unchanged.lastSeenAt = before.lastSeenAt
            #expect(unchanged == before, "only the last sighting moved")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func resolveAndRefireMakeEventsAndANewEpisode(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let fingerprint = firing().fingerprint
            _ = try await store.record([rated(firing(), at: start)], at: start, policy: policy)
            let resolved = try #require(try await store.resolve(fingerprint, at: start.addingTimeInterval(300), policy: policy))
            #expect(resolved.0.status == .resolved)
            #expect(resolved.1?.status == .resolved)
            let refired = try await store.record([rated(firing(), at: start)], at: start.addingTimeInterval(600), policy: policy)
            #expect(refired.count == 1)
            #expect(refired[0].alert.startsAt == start.addingTimeInterval(600), "a new episode starts when it fires again")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func filtersAndPaginates(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let alerts = (0..<5).map { index in
                rated(Alert(labels: ["alertname": "A\(index)"], startsAt: start), score: Double(index) / 10, at: start)
            }
            _ = try await store.record(alerts, at: start, policy: policy)
            let page1 = try await store.alerts(AlertQuery(minScore: 0.15, limit: 2))
            #expect(page1.alerts.map(\.alert.name) == ["A4", "A3"])
            #expect(page1.nextOffset == 2)
            let page2 = try await store.alerts(AlertQuery(minScore: 0.15, limit: 2, offset: 2))
            #expect(page2.alerts.map(\.alert.name) == ["A2"])
            #expect(page2.nextOffset == nil)
            #expect(try await store.alerts(AlertQuery(status: .resolved)).alerts.isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func acknowledgementAndFeedbackFeedTheRating(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let alert = firing()
            _ = try await store.record([rated(alert, at: start)], at: start, policy: policy)
            let acked = try await store.acknowledge(alert.fingerprint, by: "alice", at: start.addingTimeInterval(120), policy: policy)
            #expect(acked?.acknowledgedBy == "alice")
            let noted = try await store.feedback(alert.fingerprint, .noise, at: start.addingTimeInterval(180), policy: policy)
            #expect(noted?.record.feedback == .noise)
            let inputs = try await store.ratingInputs(sources: ["prometheus"], groups: [alert.responseGroup])
            let history = try #require(inputs.history[alert.responseGroup])
            #expect(history.weight == 1)
            #expect(history.latencySeconds == 120)
            let reliability = try #require(inputs.reliability["prometheus"])
            #expect(reliability.noise == 1)
            #expect(reliability.actionable == 0)
            #expect(try await store.acknowledge(Fingerprint(labels: ["x": "y"]), by: "a", at: start, policy: policy) == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func eventsRoutedTogetherJoinTheirGroupsAndAreAllMarkedRouted(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let events = try await store.record(
                [rated(firing("DiskFull"), at: start), rated(firing("DiskFull", instance: "b"), at: start), rated(firing("Down"), at: start)],
                at: start, policy: policy)
            #expect(events.count == 3)
            let unrouted = try #require(try await store.record([rated(firing("Other"), at: start)], at: start, policy: policy).first)
            try await store.route(
                events.enumerated().map { index, event in
                    EventRouting(
                        event: event.id, memberships: index == 2 ? [] : [membership(event, groupBy: ["alertname"])],
                        traceparent: "00-\(index)")
                }, at: start)
            #expect(try await store.unroutedEvents(limit: 10).map(\.id) == [unrouted.id], "the three routed, the fourth not")
            let due = try await store.dueGroups(at: start, limit: 10)
            #expect(due.count == 1, "the two DiskFull alerts share a group; the third joined none")
            #expect(Set(due.first?.members.map(\.alert.fingerprint) ?? []) == Set(events.prefix(2).map(\.fingerprint)))
            #expect(due.first?.traceparent == "00-1", "the group takes the trace of the last event routed into it")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func outboxRecordsAttempts(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let event = try #require(try await store.record([rated(firing(), at: start)], at: start, policy: policy).first)
            #expect(try await store.unroutedEvents(limit: 10).map(\.id) == [event.id])
            try await notify(event, store: store, at: start)
            #expect(try await store.unroutedEvents(limit: 10).isEmpty)
            let due = try await store.dueDeliveries(at: start, limit: 10)
            #expect(due.count == 1)
            try await store.recordAttempt(
                delivery: due[0].id, DeliveryAttempt(at: start, httpStatus: 503, error: "HTTP 503", outcome: .retry),
                nextAttemptAt: start.addingTimeInterval(5))
            #expect(try await store.dueDeliveries(at: start.addingTimeInterval(1), limit: 10).isEmpty)
            let retry = try await store.dueDeliveries(at: start.addingTimeInterval(5), limit: 10)
            #expect(retry.first?.attempts == 1)
            #expect(retry.first?.firstAttemptAt == start)
            #expect(retry.first?.partsDelivered == 0)
            for (parts, expected) in [(2, 2), (1, 2), (nil, 2), (3, 3)] as [(Int?, Int)] {
                try await store.recordAttempt(
                    delivery: retry[0].id,
                    DeliveryAttempt(at: start.addingTimeInterval(5), httpStatus: 429, error: "HTTP 429", outcome: .retry, partsDelivered: parts),
                    nextAttemptAt: start.addingTimeInterval(5))
                let resumed = try await store.dueDeliveries(at: start.addingTimeInterval(5), limit: 10)
                #expect(resumed.first?.partsDelivered == expected, "the parts a target took are kept and never shrink")
            }
            for outcome in [DeliveryAttempt.Outcome.held, .delayed] {
                try await store.recordAttempt(
                    delivery: retry[0].id, DeliveryAttempt(at: start.addingTimeInterval(5), httpStatus: nil, error: "not sent", outcome: outcome),
                    nextAttemptAt: start.addingTimeInterval(5))
                #expect(try await store.deliveries(event.fingerprint).first?.state == .pending, "a \(outcome) notification stays pending")
            }
            try await store.recordAttempt(
                delivery: retry[0].id, DeliveryAttempt(at: start.addingTimeInterval(5), httpStatus: 200, error: nil, outcome: .delivered),
                nextAttemptAt: nil)
            let records = try await store.deliveries(event.fingerprint)
            #expect(records.count == 1)
            #expect(records[0].state == .delivered)
            #expect(records[0].attempts.map(\.httpStatus) == [503, 429, 429, 429, 429, nil, nil, 200])
            #expect(records[0].attempts.map(\.outcome) == [.retry, .retry, .retry, .retry, .retry, .held, .delayed, .delivered])
            #expect(try await store.dueDeliveries(at: start.addingTimeInterval(3_600), limit: 10).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func anAlertThatJoinsAGroupWhileItIsFlushedIsLookedAtOneIntervalLater(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let first = try #require(try await store.record([rated(firing(instance: "a"), at: start)], at: start, policy: policy).first)
            try await store.route(event: first.id, memberships: [membership(first, groupBy: ["alertname"])], traceparent: nil, at: start)
            let read = try #require(try await store.dueGroups(at: start, limit: 10).first)
            let second = try #require(try await store.record([rated(firing(instance: "b"), at: start)], at: start, policy: policy).first)
            try await store.route(event: second.id, memberships: [membership(second, groupBy: ["alertname"])], traceparent: nil, at: start)
            try await store.apply([read.flush(tenant: store.tenant, at: start, sendsResolved: true, muted: [])], at: start)

            #expect(try await store.dueGroups(at: start.addingTimeInterval(59), limit: 10).isEmpty)
            let again = try await flushDue(store, at: start.addingTimeInterval(60))
            #expect(
                again.first?.notification?.alerts.map(\.fingerprint).contains(second.fingerprint) == true,
                "the alert that came during the flush is told one group_interval later, not after the repeat interval")
        }
    }

    @Test func anEventIntoAClaimedGroupLeavesTheClaimAlone() async throws {
        try await withStore(.postgres) { _, store in
            let first = try #require(try await store.record([rated(firing(instance: "a"), at: start)], at: start, policy: policy).first)
            try await store.route(event: first.id, memberships: [membership(first, groupBy: ["alertname"])], traceparent: nil, at: start)
            #expect(try await flushDue(store, at: start).count == 1)
            let later = start.addingTimeInterval(300)
            let second = try #require(try await store.record([rated(firing(instance: "b"), at: later)], at: later, policy: policy).first)
            try await store.route(event: second.id, memberships: [membership(second, groupBy: ["alertname"])], traceparent: nil, at: later)
            let claimed = try #require(try await store.dueGroups(at: later, limit: 10).first, "the event brought the group's look forward")
            let third = try #require(try await store.record([rated(firing(instance: "c"), at: later)], at: later, policy: policy).first)
            try await store.route(event: third.id, memberships: [membership(third, groupBy: ["alertname"])], traceparent: nil, at: later)
            #expect(
                try await store.dueGroups(at: later.addingTimeInterval(1), limit: 10).isEmpty,
                "another replica does not flush the group while it is claimed")
            try await store.apply([claimed.flush(tenant: store.tenant, at: later, sendsResolved: true, muted: [])], at: later)
            let next = try await flushDue(store, at: later.addingTimeInterval(60))
            #expect(next.first?.notification?.alerts.map(\.fingerprint).contains(third.fingerprint) == true)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func groupCollectsAlertsUntilItsWaitEndsAndFlushesOnce(backend: StoreBackend) async throws {
        try await withStore(backend) { provider, store in
            let events = try await store.record(
                [rated(firing(instance: "a"), score: 0.4, at: start), rated(firing(instance: "b"), score: 0.9, at: start)], at: start, policy: policy)
            for _ in 0..<2 {
                for event in events {
                    try await store.route(
                        event: event.id, memberships: [membership(event, groupBy: ["alertname"], wait: 30)], traceparent: nil, at: start)
                }
            }
            #expect(try await store.unroutedEvents(limit: 10).isEmpty)
            #expect(try await store.dueGroups(at: start.addingTimeInterval(29), limit: 10).isEmpty, "the group waits group_wait")
            let due = try await store.dueGroups(at: start.addingTimeInterval(30), limit: 10)
            #expect(due.count == 1)
            #expect(Set(due.first?.members.map(\.fingerprint) ?? []) == Set(events.map(\.fingerprint)), "routing twice adds nobody twice")
            #expect(due.first?.group.labels == ["alertname": "DiskFull"] && due.first?.log == nil)
            let state = try #require(due.first)
            let flushedAt = start.addingTimeInterval(30)
            try await store.apply([state.flush(tenant: store.tenant, at: flushedAt, sendsResolved: true, muted: [])], at: flushedAt)
            #expect(try await flushDue(store, at: start.addingTimeInterval(31)).isEmpty, "a flushed group is due again only after group_interval")

            let delivery = try #require(try await store.dueDeliveries(at: flushedAt, limit: 10).first)
            #expect(delivery.notification.alerts.map(\.fingerprint) == [events[1].fingerprint, events[0].fingerprint], "highest score first")
            #expect(try await store.deliveries(events[0].fingerprint).map(\.group) == [due[0].group.key])
            #expect(try await provider.store(for: StoreBackend.freshTenant()).dueGroups(at: flushedAt, limit: 10).isEmpty)
            #expect(try await store.dueGroups(at: start.addingTimeInterval(600), limit: 10).isEmpty, "unchanged, it waits for repeat_interval")

            let third = try #require(try await store.record([rated(firing(instance: "c"), at: start)], at: start.addingTimeInterval(40), policy: policy).first)
            try await store.route(
                event: third.id, memberships: [membership(third, groupBy: ["alertname"], wait: 30)], traceparent: nil,
                at: start.addingTimeInterval(40))
            #expect(try await store.dueGroups(at: start.addingTimeInterval(89), limit: 10).isEmpty)
            let again = try #require(try await store.dueGroups(at: start.addingTimeInterval(90), limit: 10).first, "a change is looked at one group_interval after the flush")
            #expect(again.log?.firing == Set(events.map(\.fingerprint)), "the notification log remembers what was sent")
            let changed = again.flush(tenant: store.tenant, at: start.addingTimeInterval(90), sendsResolved: true, muted: [])
            #expect(changed.notification?.alerts.count == 3)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func resolvedAlertsLeaveAndAnEmptyGroupEnds(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let fired = try #require(try await store.record([rated(firing(), at: start)], at: start, policy: policy).first)
            try await notify(fired, store: store, at: start)
            let resolvedAt = start.addingTimeInterval(10)
            let resolved = try #require(try await store.resolve(fired.fingerprint, at: resolvedAt, policy: policy)?.1)
            try await store.route(event: resolved.id, memberships: [membership(resolved)], traceparent: nil, at: resolvedAt)
            #expect(try await store.dueGroups(at: resolvedAt, limit: 10).isEmpty, "a change waits for group_interval")
            let flushed = try await flushDue(store, at: start.addingTimeInterval(60))
            #expect(flushed.first?.notification?.status == .resolved)
            #expect(try await store.dueGroups(at: start.addingTimeInterval(600), limit: 10).isEmpty, "an empty group ends")
            #expect(try await store.deliveries(fired.fingerprint).map(\.status) == [.firing, .resolved])

            let refiredAt = start.addingTimeInterval(700)
            let refired = try #require(try await store.record([rated(firing(), at: refiredAt)], at: refiredAt, policy: policy).first)
            try await store.route(event: refired.id, memberships: [membership(refired)], traceparent: nil, at: refiredAt)
            let state = try #require(try await store.dueGroups(at: refiredAt, limit: 10).first)
            #expect(state.log?.firing == [], "the log of the ended group says nothing fires")
            #expect(state.flush(tenant: store.tenant, at: refiredAt, sendsResolved: true, muted: []).notification?.status == .firing)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aGroupsNotificationsAreDueInOrder(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            let first = try #require(try await store.record([rated(firing(instance: "a"), at: start)], at: start, policy: policy).first)
            try await store.route(event: first.id, memberships: [membership(first, groupBy: ["alertname"])], traceparent: nil, at: start)
            try await flushDue(store, at: start)
            let second = try #require(try await store.record([rated(firing(instance: "b"), at: start)], at: start, policy: policy).first)
            try await store.route(event: second.id, memberships: [membership(second, groupBy: ["alertname"])], traceparent: nil, at: start)
            try await flushDue(store, at: start.addingTimeInterval(60))
            let due = try await store.dueDeliveries(at: start.addingTimeInterval(60), limit: 10)
            #expect(due.map(\.notification.alerts.count) == [1], "the second waits while the first is pending")
            try await store.recordAttempt(
                delivery: due[0].id, DeliveryAttempt(at: start, httpStatus: 200, error: nil, outcome: .delivered), nextAttemptAt: nil)
            let next = try await store.dueDeliveries(at: start.addingTimeInterval(60), limit: 10)
            #expect(next.map(\.notification.alerts.count) == [2])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func dataSurvivesReopening(backend: StoreBackend) async throws {
        let location = try backend.makeLocation()
        defer { if backend == .sqlite { try? FileManager.default.removeItem(atPath: location) } }
        let tenant = tenant
        try await backend.withProvider(at: location) { provider in
            _ = try await provider.store(for: tenant).record([rated(firing(), at: start)], at: start, policy: policy)
        }
        try await backend.withProvider(at: location) { provider in
            let again = try await provider.store(for: tenant)
            #expect(try await again.alerts(AlertQuery()).alerts.count == 1)
            #expect(try await again.unroutedEvents(limit: 10).count == 1)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func tenantsAreSeparate(backend: StoreBackend) async throws {
        try await withStore(backend) { provider, store in
            _ = try await store.record([rated(firing(), at: start)], at: start, policy: policy)
            let other = try await provider.store(for: StoreBackend.freshTenant())
            #expect(try await other.alerts(AlertQuery()).alerts.isEmpty)
            #expect(try await other.alert(firing().fingerprint) == nil)
            #expect(try await other.unroutedEvents(limit: 10).isEmpty)
            #expect(try await other.deliveries(firing().fingerprint).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func retentionPrunesOnlyOldFinishedRows(backend: StoreBackend) async throws {
        try await withStore(backend) { provider, store in
            let other = try await provider.store(for: StoreBackend.freshTenant())
            for target in [store, other] {
                let events = try await target.record([rated(firing("Old"), at: start), rated(firing("Fresh"), at: start)], at: start, policy: policy)
                for event in events { try await notify(event, store: target, at: start) }
                for delivery in try await target.dueDeliveries(at: start, limit: 10) {
                    try await target.recordAttempt(
                        delivery: delivery.id, DeliveryAttempt(at: start, httpStatus: 200, error: nil, outcome: .delivered), nextAttemptAt: nil)
                }
            }
            let pending = try #require(try await store.record([rated(firing("Pending"), at: start)], at: start, policy: policy).first)
            try await notify(pending, store: store, at: start)

            #expect(try await store.prune(before: start, limit: 10) == 0, "nothing is older than the cutoff")
            #expect(try await store.prune(before: start.addingTimeInterval(1), limit: 1) == 2, "batches are bounded")
            #expect(try await store.prune(before: start.addingTimeInterval(1), limit: 10) == 3)
            #expect(try await store.prune(before: start.addingTimeInterval(1), limit: 10) == 0)
            #expect(try await store.deliveries(firing("Old").fingerprint).isEmpty)
            #expect(try await store.deliveries(firing("Pending").fingerprint).count == 1, "pending notifications stay")
            #expect(try await store.alerts(AlertQuery()).alerts.count == 3, "current alert state stays")
            #expect(try await other.deliveries(firing("Old").fingerprint).count == 1, "another tenant's rows stay")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func deadNotificationsAreListedAndReplayedPerTenant(backend: StoreBackend) async throws {
        try await withStore(backend) { provider, store in
            let other = try await provider.store(for: StoreBackend.freshTenant())
            let event = try #require(try await store.record([rated(firing(), at: start)], at: start, policy: policy).first)
            try await notify(event, store: store, at: start)
            let due = try #require(try await store.dueDeliveries(at: start, limit: 10).first)
            try await store.recordAttempt(
                delivery: due.id, DeliveryAttempt(at: start, httpStatus: 400, error: "HTTP 400: bad payload", outcome: .dead), nextAttemptAt: nil)

            let dead = try await store.deliveries(in: .dead, limit: 10)
            #expect(dead.map(\.id) == [due.id])
            #expect(dead.first?.lastError == "HTTP 400: bad payload")
            #expect(dead.first?.alertName == "DiskFull" && dead.first?.receiver == "hook" && dead.first?.attempts == 1)
            #expect(try await store.deliveries(in: .pending, limit: 10).isEmpty)
            #expect(try await other.deliveries(in: .dead, limit: 10).isEmpty, "another tenant sees none")
            #expect(try await other.replay(delivery: due.id, at: start) == nil, "another tenant cannot replay it")

            let later = start.addingTimeInterval(3_600)
            let replayed = try #require(try await store.replay(delivery: due.id, at: later))
            #expect(replayed.state == .pending && replayed.nextAttemptAt == later)
            #expect(try await store.replay(delivery: due.id, at: later) == nil, "only a dead notification is replayed")
            let again = try #require(try await store.dueDeliveries(at: later, limit: 10).first)
            #expect(again.id == due.id && again.firstAttemptAt == nil, "due now, with a fresh give-up clock")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func silencesAreStoredListedAndExpiredPerTenant(backend: StoreBackend) async throws {
        try await withStore(backend) { provider, store in
            let other = try await provider.store(for: StoreBackend.freshTenant())
            let active = Silence(
                matchers: ["service=\"db\"", "severity=~\"crit.*\""], startsAt: start, endsAt: start.addingTimeInterval(3_600),
                createdBy: "alice", comment: "maintenance", createdAt: start)
            let pending = Silence(
                matchers: ["service=\"web\""], startsAt: start.addingTimeInterval(600), endsAt: start.addingTimeInterval(7_200),
                createdBy: "bob", comment: "deploy", createdAt: start)
            try await store.createSilence(active)
            try await store.createSilence(pending)
            #expect(try await store.silences(endingAfter: nil) == [pending, active], "latest ending first")
            #expect(try await other.silences(endingAfter: nil).isEmpty, "another tenant sees none")
            #expect(try await other.expireSilence(id: active.id, at: start) == nil, "another tenant cannot end it")

            let now = start.addingTimeInterval(60)
            let expired = try #require(try await store.expireSilence(id: pending.id, at: now))
            #expect(expired.state(at: now) == .expired)
            #expect(expired.startsAt == now && expired.endsAt == now, "a pending silence ends before it starts")
            #expect(try await store.expireSilence(id: pending.id, at: now.addingTimeInterval(60)) == expired, "ending twice changes nothing")
            #expect(try await store.expireSilence(id: "unknown", at: now) == nil)
            #expect(try await store.silences(endingAfter: now).map(\.id) == [active.id])

            #expect(try await store.prune(before: now, limit: 10) == 0, "a silence that ended at the cutoff stays")
            #expect(try await store.prune(before: now.addingTimeInterval(1), limit: 10) == 1)
            #expect(try await store.silences(endingAfter: nil) == [active])

            var extended = active
            extended.endsAt = start.addingTimeInterval(7_200)
            extended.comment = "maintenance, extended"
            extended.createdBy = "carol"
            #expect(try await other.updateSilence(extended) == false, "another tenant cannot change it")
            #expect(try await store.silences(endingAfter: nil) == [active])
            #expect(try await store.updateSilence(extended))
            #expect(try await store.silences(endingAfter: nil) == [extended])
            var unknown = extended
            unknown.id = "unknown"
            #expect(try await store.updateSilence(unknown) == false)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func concurrentWritesAllLand(backend: StoreBackend) async throws {
        try await withStore(backend) { _, store in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        _ = try await store.record(
                            [self.rated(Alert(labels: ["alertname": "C\(index)"], startsAt: self.start), at: self.start)], at: self.start, policy: policy)
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.alerts(AlertQuery(limit: 100)).alerts.count == 40)
            #expect(try await store.unroutedEvents(limit: 100).count == 40)
        }
    }
}
