import AlertCore
import Foundation
import Sinks
import TestSupport
import Testing

/// The ServiceNow sink against a fake Table API that enforces ServiceNow's rules.
@Suite struct ServiceNowSinkTests {
    let sink = ServiceNowSink()

    func settings(port: Int, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        let base: [String: JSONValue] = [
            "instance_url": .string("http://127.0.0.1:\(port)"), "username": .string("alertd.integration"),
            "password": .string("env:SNOW_PASSWORD"),
        ]
        return .object(base.merging(extra) { _, new in new })
    }

    func deliver(
        _ notification: AlertNotification, port: Int, _ extra: [String: JSONValue] = [:], password: String = "s3cret"
    ) async throws(DeliveryFailure) -> Int {
        try await sink.deliver(
            notification, settings: settings(port: port, extra), secrets: SecretResolver(environment: ["SNOW_PASSWORD": password]),
            http: SampleAlerts.http(for: sink))
    }

    static func resolved(_ count: Int, at minutes: Double = 15) -> AlertNotification {
        SampleAlerts.notification(
            (0..<count).map { SampleAlerts.alert(instance: "web-\($0)", status: .resolved) }, flushedAt: SampleAlerts.start + minutes * 60)
    }

    @Test func createsUpdatesAndResolvesOneIncidentPerGroup() async throws {
        let snow = FakeServiceNow(username: "alertd.integration", password: "s3cret")
        let firing = SampleAlerts.group(firing: 3, summaryLength: 300)
        let extra: [String: JSONValue] = ["assignment_group": .string("SRE"), "category": .string("software")]
        try await snow.serve { port async throws in
            #expect(try await deliver(firing, port: port, extra) == 201, "created")
            #expect(try await deliver(firing, port: port, extra) == 200, "work note")
            #expect(try await deliver(Self.resolved(3), port: port, extra) == 200, "resolved")
            #expect(try await deliver(Self.resolved(3, at: 20), port: port, extra) == 200, "nothing left to resolve")
            #expect(try await deliver(firing, port: port, extra) == 201, "a new incident for the group firing again")
        }
        let incidents = await snow.incidents(correlatedBy: firing.groupID)
        #expect(incidents.count == 2)
        let first = try #require(incidents.first)
        #expect(first.state == "6")
        #expect(first.active, "a resolved incident stays active until it is closed")
        #expect(first.fields["close_code"] == "Solution provided")
        #expect(first.fields["close_notes"] == "Resolved by alertd: every alert of the group has resolved.")
        #expect(first.fields["urgency"] == "1" && first.fields["impact"] == "1", "P1")
        #expect(first.fields["assignment_group"] == "SRE" && first.fields["category"] == "software")
        #expect(first.fields["correlation_display"] == "alertd")
        let short = try #require(first.fields["short_description"])
        #expect(short.hasPrefix("[P1] HighLatency: web-0: latency above the SLO"))
        #expect(short.hasSuffix("… (+2 more)") && short.count <= 160)
        #expect(first.fields["description"]?.contains("Correlation ID: \(firing.groupID)") == true)
        #expect(
            first.fields["description"]?.contains("- [FIRING] [P1] score 0.95 HighLatency {instance=web-0, service=checkout, severity=critical}")
                == true)
        #expect(first.workNotes.count == 2)
        #expect(first.workNotes.first?.hasPrefix("alertd: still firing, 3 firing.") == true)
        #expect(first.workNotes.last?.hasPrefix("alertd: every alert of the group has resolved.") == true)
        #expect(incidents.last?.state == "1")
        let calls = await snow.calls.map { "\($0.method) \($0.path)" }
        let table = "/api/now/table/incident"
        #expect(
            calls == [
                "GET \(table)", "POST \(table)", "GET \(table)", "PATCH \(table)/\(first.sysID)", "GET \(table)", "PATCH \(table)/\(first.sysID)",
                "GET \(table)", "GET \(table)", "POST \(table)",
            ])
    }

    @Test(arguments: [
        (Priority.p1, "1", "1"), (.p2, "1", "2"), (.p3, "2", "2"), (.p4, "3", "2"), (.p5, "3", "3"),
    ])
    func urgencyAndImpactFollowTheLeadAlertsPriority(priority: Priority, urgency: String, impact: String) async throws {
        let snow = FakeServiceNow(username: "alertd.integration", password: "s3cret")
        try await snow.serve { port async throws in
            _ = try await deliver(SampleAlerts.notification([SampleAlerts.alert(priority: priority)]), port: port)
        }
        let incident = try #require(await snow.incidents.first)
        #expect(incident.fields["urgency"] == urgency)
        #expect(incident.fields["impact"] == impact)
    }

    @Test func eachGroupHasItsOwnIncident() async throws {
        let snow = FakeServiceNow(username: "alertd.integration", password: "s3cret")
        let latency = SampleAlerts.group(firing: 1)
        let disk = SampleAlerts.group(firing: 2, name: "DiskFull")
        try await snow.serve { port async throws in
            for notification in [latency, disk, disk] {
                _ = try await deliver(notification, port: port)
            }
        }
        #expect(await snow.incidents.count == 2)
        #expect(await snow.incidents(correlatedBy: disk.groupID).first?.workNotes.count == 1)
        #expect(await snow.incidents(correlatedBy: latency.groupID).first?.workNotes.isEmpty == true)
    }

    @Test func aResolveWithNoOpenIncidentDoesNothing() async throws {
        let snow = FakeServiceNow(username: "alertd.integration", password: "s3cret")
        try await snow.serve { port async throws in
            #expect(try await deliver(Self.resolved(1), port: port) == 200)
        }
        #expect(await snow.incidents.isEmpty)
        #expect(await snow.calls.map(\.method) == ["GET"])
    }

    @Test func aWrongPasswordIsNotRetried() async throws {
        let snow = FakeServiceNow(username: "alertd.integration", password: "s3cret")
        try await snow.serve { port async throws in
            do throws(DeliveryFailure) {
                _ = try await deliver(SampleAlerts.notification(), port: port, password: "wrong")
                Issue.record("expected a 401")
            } catch {
                #expect(!error.retryable)
                #expect(error.httpStatus == 401)
                #expect(error.message.contains("User Not Authenticated"))
            }
        }
        #expect(await snow.incidents.isEmpty)
    }

    @Test func throttlingIsRetriedAfterTheWaitServiceNowAsksFor() async throws {
        let snow = FakeServiceNow(username: "alertd.integration", password: "s3cret", rateLimited: 1)
        try await snow.serve { port async throws in
            do throws(DeliveryFailure) {
                _ = try await deliver(SampleAlerts.notification(), port: port)
                Issue.record("expected a 429")
            } catch {
                #expect(error.retryable)
                #expect(error.httpStatus == 429)
                #expect(error.retryAfter == 5)
            }
            #expect(try await deliver(SampleAlerts.notification(), port: port) == 201)
        }
        #expect(await snow.incidents.count == 1)
    }

    @Test func aCustomResolveStateAndCloseInformationAreUsed() async throws {
        let snow = FakeServiceNow(username: "alertd.integration", password: "s3cret")
        let custom: [String: JSONValue] = [
            "resolve_state": .number(7), "close_code": .string("Resolved by caller"), "close_notes": .string("Monitoring recovered."),
        ]
        try await snow.serve { port async throws in
            _ = try await deliver(SampleAlerts.notification(), port: port, custom)
            _ = try await deliver(Self.resolved(1), port: port, custom)
        }
        let incident = try #require(await snow.incidents.first)
        #expect(incident.state == "7")
        #expect(!incident.active)
        #expect(incident.fields["close_code"] == "Resolved by caller")
        #expect(incident.fields["close_notes"] == "Monitoring recovered.")
    }

    @Test func validatesSettings() {
        let valid: [String: JSONValue] = [
            "instance_url": .string("https://acme.service-now.com"), "username": .string("alertd"), "password": .string("file:/run/secrets/snow"),
            "assignment_group": .string("SRE"), "caller_id": .string("alertd"), "category": .string("software"), "resolve_state": .string("6"),
            "close_code": .string("Solution provided"), "close_notes": .string("Recovered."), "send_resolved": .bool(true),
        ]
        #expect(sink.problems(settings: .object(valid), at: "s").isEmpty)
        func paths(_ changes: [String: JSONValue?]) -> Set<String> {
            var object = valid
            for (key, value) in changes { object[key] = value }
            return Set(sink.problems(settings: .object(object), at: "s").map(\.path))
        }
        #expect(paths(["resolve_state": .number(6)]).isEmpty)
        #expect(paths(["resolve_state": .string("resolved")]) == ["s.resolve_state"])
        #expect(paths(["password": .string("hunter2")]) == ["s.password"])
        #expect(paths(["username": .string(" ")]) == ["s.username"])
        #expect(paths(["instance_url": .string("acme.service-now.com")]) == ["s.instance_url"])
        #expect(paths(["close_code": .number(1), "priority": .string("1")]) == ["s.close_code", "s.priority"])
        #expect(Set(sink.problems(settings: .object([:]), at: "s").map(\.path)) == ["s.instance_url", "s.username", "s.password"])
    }
}
