import AlertCore
import Foundation
import Sinks
import TestSupport
import Testing

/// The Jira sink against a fake Jira Cloud that enforces the REST API's rules.
@Suite struct JiraSinkTests {
    static let credentials = FakeJira.Credentials.basic(email: "alertd@acme.example", apiToken: "atl-token")
    let sink = JiraSink()

    func settings(port: Int, _ extra: [String: JSONValue] = [:]) -> JSONValue {
        let base: [String: JSONValue] = [
            "url": .string("http://127.0.0.1:\(port)/"), "project": .string("OPS"), "email": .string("alertd@acme.example"),
            "api_token": .string("env:JIRA_TOKEN"),
        ]
        return .object(base.merging(extra) { _, new in new })
    }

    func deliver(
        _ notification: AlertNotification, port: Int, _ extra: [String: JSONValue] = [:], token: String = "atl-token"
    ) async throws(DeliveryFailure) -> Int {
        try await sink.deliver(
            notification, settings: settings(port: port, extra), secrets: SecretResolver(environment: ["JIRA_TOKEN": token, "JIRA_PAT": token]),
            http: SampleAlerts.http(for: sink))
    }

    static func resolved(_ count: Int, name: String = "HighLatency", at minutes: Double = 15) -> AlertNotification {
        SampleAlerts.notification(
            (0..<count).map { SampleAlerts.alert(name, instance: "web-\($0)", status: .resolved) },
            group: ["alertname": name, "service": "checkout"], flushedAt: SampleAlerts.start + minutes * 60)
    }

    @Test func createsCommentsAndResolvesOneIssuePerGroup() async throws {
        let jira = FakeJira(credentials: Self.credentials, projects: ["OPS"])
        let firing = SampleAlerts.group(firing: 2, summaryLength: 400)
        let labels: [String: JSONValue] = ["labels": .array([.string("alertd"), .string("sre")])]
        try await jira.serve { port async throws in
            #expect(try await deliver(firing, port: port, labels) == 201, "created")
            #expect(try await deliver(firing, port: port, labels) == 201, "commented")
            #expect(try await deliver(Self.resolved(2), port: port, labels) == 204, "transitioned")
            #expect(try await deliver(Self.resolved(2, at: 20), port: port, labels) == 200, "nothing left to resolve")
            #expect(try await deliver(firing, port: port, labels) == 201, "a new issue for the group firing again")
        }
        let issues = await jira.issues(labeled: firing.groupID)
        #expect(issues.map(\.key) == ["OPS-1", "OPS-2"])
        #expect(issues.map(\.statusCategory) == ["done", "new"])
        let first = try #require(issues.first)
        #expect(Set(first.labels) == [firing.groupID, "alertd", "sre"])
        #expect(first.issueType == "Bug")
        #expect(first.summary.hasPrefix("[P1] HighLatency: web-0: latency above the SLO"))
        #expect(first.summary.hasSuffix("… (+1 more)"), "cut to Jira's 255 characters, keeping the count")
        #expect(first.summary.count <= 255)
        #expect(first.description?.contains("||Status||Priority||Score||Alert||Labels||Summary||Source||") == true)
        #expect(first.description?.contains("|FIRING|P1|0.95|HighLatency|instance=web-0, service=checkout, severity=critical|") == true)
        #expect(first.description?.contains(firing.groupID) == true)
        #expect(first.comments.count == 2)
        #expect(first.comments.first?.hasPrefix("*FIRING*: 2 firing.") == true)
        #expect(first.comments.last?.hasPrefix("*RESOLVED*: every alert of the group has resolved.") == true)
        let calls = await jira.calls.map { "\($0.method) \($0.path)" }
        #expect(
            calls == [
                "GET /rest/api/2/search/jql", "POST /rest/api/2/issue",
                "GET /rest/api/2/search/jql", "POST /rest/api/2/issue/OPS-1/comment",
                "GET /rest/api/2/search/jql", "GET /rest/api/2/issue/OPS-1/transitions", "POST /rest/api/2/issue/OPS-1/transitions",
                "GET /rest/api/2/search/jql",
                "GET /rest/api/2/search/jql", "POST /rest/api/2/issue",
            ])
    }

    @Test func eachGroupHasItsOwnIssue() async throws {
        let jira = FakeJira(credentials: Self.credentials, projects: ["OPS"])
        let latency = SampleAlerts.group(firing: 1)
        let disk = SampleAlerts.group(firing: 3, name: "DiskFull")
        try await jira.serve { port async throws in
            for notification in [latency, disk, latency, disk] {
                _ = try await deliver(notification, port: port)
            }
        }
        #expect(latency.groupID != disk.groupID)
        #expect(await jira.issues.count == 2)
        #expect(await jira.issues(labeled: latency.groupID).map { $0.comments.count } == [1])
        #expect(await jira.issues(labeled: disk.groupID).first?.summary.hasPrefix("[P1] DiskFull: web-0") == true)
    }

    @Test func aResolveWithNoOpenIssueDoesNothing() async throws {
        let jira = FakeJira(credentials: Self.credentials, projects: ["OPS"])
        try await jira.serve { port async throws in
            #expect(try await deliver(Self.resolved(1), port: port) == 200)
        }
        #expect(await jira.issues.isEmpty)
        #expect(await jira.calls.map(\.path) == ["/rest/api/2/search/jql"])
    }

    @Test func wrongCredentialsAreNotRetried() async throws {
        let jira = FakeJira(credentials: Self.credentials, projects: ["OPS"])
        try await jira.serve { port async throws in
            do throws(DeliveryFailure) {
                _ = try await deliver(SampleAlerts.notification(), port: port, token: "revoked")
                Issue.record("expected a 401")
            } catch {
                #expect(!error.retryable)
                #expect(error.httpStatus == 401)
            }
        }
        #expect(await jira.issues.isEmpty)
    }

    @Test func aBearerTokenWorksToo() async throws {
        let jira = FakeJira(credentials: .bearer("pat-123"), projects: ["OPS"])
        try await jira.serve { port async throws in
            let settings = JSONValue.object(
                ["url": .string("http://127.0.0.1:\(port)"), "project": .string("OPS"), "bearer_token": .string("env:JIRA_PAT")])
            let status = try await sink.deliver(
                SampleAlerts.notification(), settings: settings, secrets: SecretResolver(environment: ["JIRA_PAT": "pat-123"]),
                http: SampleAlerts.http(for: sink))
            #expect(status == 201)
        }
        #expect(await jira.issues.count == 1)
    }

    @Test func throttlingIsRetriedAfterTheWaitJiraAsksFor() async throws {
        let jira = FakeJira(credentials: Self.credentials, projects: ["OPS"], rateLimited: 1)
        try await jira.serve { port async throws in
            do throws(DeliveryFailure) {
                _ = try await deliver(SampleAlerts.notification(), port: port)
                Issue.record("expected a 429")
            } catch {
                #expect(error.retryable)
                #expect(error.httpStatus == 429)
                #expect(error.retryAfter == 7)
            }
            #expect(try await deliver(SampleAlerts.notification(), port: port) == 201)
        }
        #expect(await jira.issues.count == 1)
    }

    @Test func fieldsJiraRefusesAreNotRetried() async throws {
        let jira = FakeJira(credentials: Self.credentials, projects: ["OPS"])
        try await jira.serve { port async throws in
            do throws(DeliveryFailure) {
                _ = try await deliver(SampleAlerts.notification(), port: port, ["issue_type": .string("Story")])
                Issue.record("expected a 400")
            } catch {
                #expect(!error.retryable)
                #expect(error.httpStatus == 400)
                #expect(error.message.contains("Specify a valid issue type"))
            }
            do throws(DeliveryFailure) {
                _ = try await deliver(SampleAlerts.notification(), port: port, ["project": .string("NOPE")])
                Issue.record("expected a 400")
            } catch {
                #expect(!error.retryable)
                #expect(error.message.contains("does not exist for the field 'project'"))
            }
        }
        #expect(await jira.issues.isEmpty)
    }

    @Test func aMissingTransitionIsNotRetried() async throws {
        let jira = FakeJira(credentials: Self.credentials, projects: ["OPS"])
        try await jira.serve { port async throws in
            _ = try await deliver(SampleAlerts.notification(), port: port)
            do throws(DeliveryFailure) {
                _ = try await deliver(Self.resolved(1), port: port, ["resolve_transition": .string("Close Issue")])
                Issue.record("expected a failure")
            } catch {
                #expect(!error.retryable)
                #expect(error.message.contains("no transition \"Close Issue\""))
                #expect(error.message.contains("Done"))
            }
            #expect(try await deliver(Self.resolved(1), port: port, ["resolve_transition": .string("done")]) == 204)
        }
        #expect(await jira.issues.first?.status == "Done")
    }

    @Test func validatesSettings() {
        let valid: [String: JSONValue] = [
            "url": .string("https://acme.atlassian.net"), "project": .string("OPS"), "email": .string("a@acme.example"),
            "api_token": .string("env:T"), "issue_type": .string("Incident"), "resolve_transition": .string("Resolve"),
            "labels": .array([.string("alertd")]), "send_resolved": .bool(false),
        ]
        #expect(sink.problems(settings: .object(valid), at: "j").isEmpty)
        #expect(
            sink.problems(
                settings: .object(["url": .string("https://acme.atlassian.net"), "project": .string("OPS"), "bearer_token": .string("env:P")]),
                at: "j"
            )
            .isEmpty)
        func paths(_ changes: [String: JSONValue?]) -> Set<String> {
            var object = valid
            for (key, value) in changes { object[key] = value }
            return Set(sink.problems(settings: .object(object), at: "j").map(\.path))
        }
        #expect(paths(["api_token": .string("plain-token")]) == ["j.api_token"])
        #expect(paths(["api_token": nil]) == ["j.api_token"])
        #expect(paths(["bearer_token": .string("env:P")]) == ["j.bearer_token"])
        #expect(paths(["email": nil, "api_token": nil]) == ["j.api_token"])
        #expect(paths(["labels": .array([.string("two words"), .string("ok")])]) == ["j.labels[0]"])
        #expect(paths(["labels": .string("alertd")]) == ["j.labels"])
        #expect(paths(["project": .string("")]) == ["j.project"])
        #expect(paths(["url": .string("acme.atlassian.net"), "colour": .string("red")]) == ["j.url", "j.colour"])
        #expect(paths(["send_resolved": .string("yes")]) == ["j.send_resolved"])
        #expect(Set(sink.problems(settings: .object([:]), at: "j").map(\.path)) == ["j.url", "j.project", "j.api_token"])
    }
}
