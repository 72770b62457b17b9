import AlertCore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

@testable import alertd

/// Durable writes that slow down past the target: ingest degrades into 429s with
/// `Retry-After` that name the overload, never into timeouts or 5xx.
@Suite struct OverloadTests {
    /// An intake whose every write takes `delay`.
    struct SlowIntake: AlertIntake {
        let delay: Duration
        func accept(_ alerts: [RatedAlert], tenant: TenantID, at now: Date, policy: RatingPolicy) async throws {
            try await Task.sleep(for: delay)
        }
    }

    /// Set once by any of the senders.
    final class Flag: Sendable {
        private let value = Atomic<Bool>(false)
        var isSet: Bool { value.load(ordering: .relaxed) }
        func set() { value.store(true, ordering: .relaxed) }
    }

    @Test func slowWritesTurnIntoOverload429sWithRetryAfter() async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let file = "\(deployment.tenantsDirectory)/\(deployment.acme)/tenant.yaml"
        let yaml = try String(contentsOfFile: file, encoding: .utf8)
            .replacingOccurrences(of: "ingestPerSecond: 0.5, ingestBurst: 10", with: "ingestPerSecond: 20, ingestBurst: 20")
        try yaml.write(toFile: file, atomically: true, encoding: .utf8)
        let runtime = try await TenantRuntime(try deployment.settings(), logger: deployment.logger)
        let router = buildRouter(
            catalog: runtime.catalog, stores: runtime.stores, bus: runtime.bus, intake: SlowIntake(delay: .milliseconds(400)),
            verifier: runtime.verifier, metrics: runtime.metrics, reload: { true })
        var app = Application(router: router)
        app.addServices(runtime.services)
        try await app.test(.router) { client in
            let token = try await deployment.token("acme", "alerts:write")
            // The senders stop once a request was refused for the overload: how soon that
            // happens depends on how fast this machine runs the requests, so the deadline is
            // only a bound.
            let refusedForOverload = Flag()
            let answers = try await withThrowingTaskGroup(of: [(HTTPResponse.Status, String?, String)].self) { group in
                for sender in 0..<8 {
                    group.addTask {
                        var answers: [(HTTPResponse.Status, String?, String)] = []
                        let end = ContinuousClock.now + .seconds(60)
                        var index = 0
                        while ContinuousClock.now < end, !refusedForOverload.isSet {
                            let response = try await client.execute(
                                uri: "/v1/alerts", method: .post,
                                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                body: ByteBuffer(string: #"{"labels": {"alertname": "Slow", "instance": "s\#(sender)-\#(index)"}}"#))
                            let body = String(buffer: response.body)
                            answers.append((response.status, response.headers[.retryAfter], body))
                            if response.status == .tooManyRequests, body.contains("overloaded") {
                                refusedForOverload.set()
                            }
                            index += 1
                            if response.status != .accepted { try await Task.sleep(for: .milliseconds(100)) }
                        }
                        return answers
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
            #expect(answers.allSatisfy { $0.0 == .accepted || $0.0 == .tooManyRequests }, "\(Set(answers.map(\.0.code)))")
            let overloaded = answers.filter { $0.0 == .tooManyRequests && $0.2.contains("overloaded") }
            #expect(!overloaded.isEmpty, "some requests are refused for the overload")
            #expect(overloaded.allSatisfy { $0.1.flatMap(Int.init).map { $0 >= 1 } == true }, "with Retry-After: \(overloaded.prefix(3).map { "\($0.1 ?? "none") \($0.2)" })")
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            let text = String(buffer: metrics.body)
            #expect(text.contains(#"alertd_quota_rejections_total{quota="overload",tenant="\#(deployment.acme)"}"#)
                || text.contains(#"alertd_quota_rejections_total{tenant="\#(deployment.acme)",quota="overload"}"#))
            let share = text.split(separator: "\n").first { $0.hasPrefix("alertd_ingest_admission_share ") }
                .flatMap { Double($0.split(separator: " ").last ?? "") }
            #expect(share.map { $0 < 1 } == true, "the admitted share is below 1: \(share ?? -1)")
        }
    }
}
