import Foundation
import Testing
import TestSupport

/// A real `alertd serve` process killed with SIGKILL while 32 producers post alerts, then
/// started again, on SQLite and on PostgreSQL (both commit concurrent requests together): every
/// alert answered 202 is stored and reaches the receiver, and only a notification on the wire at
/// the kill reaches it twice, with the same key.
@Suite(.serialized) struct IngestCrashTests {
    static let producers = 32
    static let acknowledgedBeforeKill = 1_500

    /// Lifts the test tenant's ingest quotas so the load is not refused.
    func unthrottle(_ deployment: TestDeployment) throws {
        for tenant in [deployment.acme, deployment.globex] {
            let path = "\(deployment.tenantsDirectory)/\(tenant)/tenant.yaml"
            let yaml = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
                of: "ingestPerSecond: 0.5, ingestBurst: 10", with: "ingestPerSecond: 100000, ingestBurst: 100000")
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func everyAcknowledgedAlertIsStoredAndDeliveredAfterAKillDuringGroupCommits(backend: StoreBackend) async throws {
        let deployment = try TestDeployment(backend: backend)
        defer { deployment.remove() }
        try unthrottle(deployment)
        let arguments =
            ["--log-level", "warning"]
            + (backend == .postgres ? ["--database-url", try TestDeployment.environment("ALERTD_TEST_DATABASE_URL")] : [])
        let receiver = ScriptedReceiver()
        try await receiver.serve { port in
            let environment = ["HOOK_URL": "http://127.0.0.1:\(port)/hook", "HOOK_SECRET": "s3cret"]
            let server = try await AlertdServer(deployment, arguments: arguments, environment: environment)
            let token = try await server.token("acme", "alerts:write", "alerts:read")
            let acknowledged = Acknowledged()
            let load = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for producer in 0..<Self.producers {
                        group.addTask {
                            var index = 0
                            while true {
                                let name = "Crash-\(producer)-\(index)"
                                let body = #"{"labels": {"alertname": "\#(name)", "service": "checkout", "severity": "critical"}}"#
                                guard let (status, _) = try? await server.request("/v1/alerts", token: token, body: body) else { return }
                                if status == 202 { await acknowledged.add(name) }
                                index += 1
                            }
                        }
                    }
                    try await group.waitForAll()
                }
            }
            let loaded = try await eventually(seconds: 120) { await acknowledged.count >= Self.acknowledgedBeforeKill }
            kill(server.process.processIdentifier, SIGKILL)
            await server.process.exited()
            try await load.value
            let names = await acknowledged.names
            #expect(loaded, "the producers got \(names.count) alerts acknowledged before the kill")
            #expect(server.process.terminationReason == .uncaughtSignal)

            let restarted = try await AlertdServer(deployment, arguments: arguments, environment: environment)
            defer { restarted.terminate() }
            var stored = Set<String>()
            var offset: Int? = 0
            while let next = offset {
                let (status, body) = try await restarted.request("/v1/alerts?limit=500&offset=\(next)", token: token)
                #expect(status == 200)
                let page = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
                for alert in page["alerts"] as? [[String: Any]] ?? [] {
                    if let name = (alert["labels"] as? [String: String])?["alertname"] { stored.insert(name) }
                }
                offset = page["nextOffset"] as? Int
            }
            let lost = names.subtracting(stored)
            #expect(lost.isEmpty, "\(lost.count) of \(names.count) acknowledged alerts were lost, e.g. \(lost.sorted().prefix(5))")

            let delivered: @Sendable () async -> [String: Set<String>] = {
                var keys: [String: Set<String>] = [:]
                for request in await receiver.received {
                    let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any]
                    guard let key = request.headers["x-alertd-notification-key"] else { continue }
                    for alert in body?["alerts"] as? [[String: Any]] ?? [] {
                        if let name = (alert["labels"] as? [String: String])?["alertname"] { keys[name, default: []].insert(key) }
                    }
                }
                return keys
            }
            let complete = try await eventually(seconds: 180) { names.isSubset(of: Set(await delivered().keys)) }
            let keys = await delivered()
            #expect(complete, "\(names.subtracting(keys.keys).count) acknowledged alerts never reached the receiver")
            #expect(keys.values.allSatisfy { $0.count == 1 }, "each alert is notified once, under one notification key")
            let received = await receiver.received.compactMap { $0.headers["x-alertd-notification-key"] }
            let repeats = Dictionary(grouping: received, by: { $0 }).filter { $0.value.count > 1 }
            #expect(repeats.count <= 16, "only deliveries on the wire at the kill repeat: \(repeats.count)")
            await restarted.stop()
        }
    }
}

/// The alerts the producers were answered 202 for.
actor Acknowledged {
    private(set) var names = Set<String>()
    var count: Int { names.count }

    func add(_ name: String) {
        names.insert(name)
    }
}
