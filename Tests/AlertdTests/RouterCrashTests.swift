import Foundation
import Kafka
import Logging
import Testing
import TestSupport

/// A real `alertd router` process killed with SIGKILL while it consumes 10,000 alerts, then
/// started again: every alert reaches the receiver, and a notification reaches it twice only
/// if it was on the wire at the kill, with the same notification key (delivery is at least once).
@Suite(.serialized) struct RouterCrashTests {
    static let total = 10_000
    let logger = Logger(label: "router-crash-test")

    /// Starts `alertd router`; its warnings and errors go to `log`.
    func startRouter(
        _ deployment: TestDeployment, brokers: String, prefix: String, group: String, hookPort: Int, log: String
    ) throws -> Process {
        let router = Process()
        router.executableURL = URL(fileURLWithPath: PostgresOutageTests.binary)
        router.arguments = [
            "router", "--tenants", deployment.tenantsDirectory, "--data-dir", deployment.dataDirectory, "--kafka-brokers", brokers,
            "--kafka-topic-prefix", prefix, "--kafka-group", group, "--kafka-session-timeout", "3", "--port", String(TestPorts.router.randomElement()!), "--log-level", "warning",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["HOOK_URL"] = "http://127.0.0.1:\(hookPort)/hook"
        environment["HOOK_SECRET"] = "s3cret"
        router.environment = environment
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        try output.seekToEnd()
        router.standardOutput = FileHandle.nullDevice
        router.standardError = output
        router.standardInput = FileHandle.nullDevice
        try router.run()
        return router
    }

    @Test func everyAlertReachesTheReceiverAfterTheRouterIsKilledMidStream() async throws {
        let brokers = try TestDeployment.environment("ALERTD_TEST_KAFKA_BROKERS")
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let prefix = "crash-\(deployment.acme.split(separator: "-").last!)"
        let topic = "\(prefix).\(deployment.acme)"
        let configuration = KafkaConfiguration(brokers: brokers)
        try await KafkaTopicAdmin(configuration: configuration, logger: logger).createTopics([topic], partitions: 3)
        let group = "crash-\(deployment.acme)"
        let log = "\(deployment.root)/router.log"
        let receiver = ScriptedReceiver()
        try await receiver.serve { port in
            let killed = try startRouter(deployment, brokers: brokers, prefix: prefix, group: group, hookPort: port, log: log)
            let producer = try KafkaProducer(configuration: configuration, logger: logger)
            let feeding = Task {
                for start in stride(from: 0, to: Self.total, by: 250) {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for index in start..<min(start + 250, Self.total) {
                            group.addTask {
                                let alert = #"{"labels": {"alertname": "Crash-\#(index)", "service": "checkout", "severity": "critical"}}"#
                                try await producer.send(topic: topic, key: nil, value: Array(alert.utf8), headers: [("tenant", deployment.acme)])
                            }
                        }
                        try await group.waitForAll()
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            let receivedAtKill = try await killed.whileRunning {
                let midStream = try await eventually(seconds: 120) { await receiver.received.count >= 1_000 }
                #expect(midStream, "the router delivers while alerts are still being produced")
                kill(killed.processIdentifier, SIGKILL)
                await killed.exited()
                #expect(killed.terminationReason == .uncaughtSignal)
                return await receiver.received.count
            }

            let router = try startRouter(deployment, brokers: brokers, prefix: prefix, group: group, hookPort: port, log: log)
            try await router.whileRunning {
                try await feeding.value
                await producer.shutdown()
                #expect(receivedAtKill < Self.total, "the kill came mid-stream")

                let names: @Sendable () async -> [String] = {
                    await receiver.received.compactMap { request in
                        let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any]
                        return (((body?["alerts"] as? [[String: Any]])?.first)?["labels"] as? [String: String])?["alertname"]
                    }
                }
                // Each alert has its own fingerprint, so its own notification key: counting keys is
                // cheap enough to poll; the names are checked once at the end.
                let keyCount: @Sendable () async -> Int = { Set(await receiver.received.compactMap { $0.headers["x-alertd-notification-key"] }).count }
                let complete = try await eventually(seconds: 300) { await keyCount() == Self.total }
                // The router's own log lines and any crash report's headline, not a crash's register dump.
                let logTail =
                    (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n")
                    .filter { $0.hasPrefix("{") || $0.contains("Fatal error") || $0.contains("Crash") || $0.contains("Assertion") }
                    .suffix(30).joined(separator: "\n") ?? ""
                let distinct = await keyCount()
                #expect(complete, "every alert reaches the receiver; got \(distinct); the router's log ends with:\n\(logTail)")
                try await Task.sleep(for: .seconds(2))
                let received = await receiver.received
                let keys = received.compactMap { $0.headers["x-alertd-notification-key"] }
                #expect(keys.count == received.count, "every delivery carries its notification key")
                let repeats = Dictionary(grouping: keys, by: { $0 }).filter { $0.value.count > 1 }
                // The delivery worker has at most 16 deliveries of a tenant on the wire at once.
                #expect(repeats.count <= 16, "only deliveries on the wire at the kill repeat: \(repeats.keys.sorted().prefix(5))")
                #expect(repeats.values.allSatisfy { $0.count == 2 })
                #expect(Set(await names()).count == Self.total)
            }
        }
    }
}
