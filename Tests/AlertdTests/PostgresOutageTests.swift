import AsyncHTTPClient
import Foundation
import NIOCore
import Testing

/// PostgreSQL going away mid-ingest, against a real `alertd serve` process: alertd answers
/// 503 (never a 2xx it cannot keep), reports not ready, and recovers by itself when the
/// database is back. Uses its own server (`ALERTD_TEST_OUTAGE_*`), which it stops and starts.
@Suite(.serialized) struct PostgresOutageTests {
    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/alertd").path

    /// Runs a command to completion and returns its exit status and, when `capture` is set,
    /// its standard output. Without `capture` no pipe is made, so a daemon the command starts
    /// cannot hold it open.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], capture: Bool = true) async throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = capture ? output : FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        guard capture else { return (status, "") }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (status, text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func pgctl(_ action: String) async throws {
        let command = try TestDeployment.environment("ALERTD_TEST_OUTAGE_PG_CTL")
        // The shell closes every descriptor it inherited beyond stdio first, so the server that
        // `pg_ctl start` leaves running cannot hold the one by which Process sees the shell exit.
        let closeInherited = "for fd in $(ls /proc/$$/fd); do if [ \"$fd\" -gt 2 ]; then eval \"exec $fd>&-\"; fi; done"
        let (status, _) = try await run("/bin/bash", ["-c", "\(closeInherited); \(command) \(action) >/dev/null 2>&1"], capture: false)
        #expect(status == 0, "pg_ctl \(action)")
    }

    func request(port: Int, _ path: String, token: String? = nil, body: String? = nil) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = body == nil ? .GET : .POST
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        if response.status.code == 503 && body != nil { #expect(response.headers.first(name: "Retry-After") != nil) }
        return (Int(response.status.code), Data(buffer: try await response.body.collect(upTo: 1 << 22)))
    }

    func post(port: Int, token: String, instance: Int) async throws -> (Int, String?) {
        let (status, body) = try await request(
            port: port, "/v1/alerts", token: token, body: #"{"labels": {"alertname": "Outage", "instance": "host-\#(instance)"}}"#)
        let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any]
        return (status, ((json?["alerts"] as? [[String: Any]])?.first?["fingerprint"]) as? String)
    }

    @Test func answers503WhileTheDatabaseIsDownAndRecoversWithoutARestart() async throws {
        let url = try TestDeployment.environment("ALERTD_TEST_OUTAGE_DATABASE_URL")
        let deployment = try TestDeployment(backend: .postgres)
        defer { deployment.remove() }
        let port = TestPorts.outageServer.randomElement()!
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Self.binary)
        server.arguments = [
            "serve", "--dev", "--tenants", deployment.tenantsDirectory, "--data-dir", deployment.dataDirectory,
            "--database-url", url, "--port", String(port), "--log-level", "error",
        ]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        try await server.whileRunning {
            var ready = false
            for _ in 0..<100 where !ready {
                ready = (try? await request(port: port, "/readyz").0) == 200
                if !ready { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(ready)
            let (status, token) = try await Self.run(
                Self.binary,
                ["token", "--tenant", deployment.acme, "--scope", "alerts:write", "--scope", "alerts:read", "--tenants",
                 deployment.tenantsDirectory, "--data-dir", deployment.dataDirectory])
            #expect(status == 0)

            var accepted: Set<String> = []
            for instance in 0..<5 {
                let (status, fingerprint) = try await post(port: port, token: token, instance: instance)
                #expect(status == 202)
                if let fingerprint { accepted.insert(fingerprint) }
            }

            try await Self.pgctl("stop")
            for instance in 5..<7 {
                let (status, fingerprint) = try await post(port: port, token: token, instance: instance)
                #expect(status == 503)
                if status == 202, let fingerprint { accepted.insert(fingerprint) }
            }
            #expect(try await request(port: port, "/readyz").0 == 503)

            try await Self.pgctl("start")
            var recovered = false
            for attempt in 0..<40 where !recovered {
                let (status, fingerprint) = try await post(port: port, token: token, instance: 100 + attempt)
                if status == 202, let fingerprint {
                    accepted.insert(fingerprint)
                    recovered = true
                } else {
                    try await Task.sleep(for: .milliseconds(250))
                }
            }
            #expect(recovered, "ingest works again once the database is back")
            #expect(try await request(port: port, "/readyz").0 == 200)

            let (_, list) = try await request(port: port, "/v1/alerts?limit=500", token: token)
            let json = try #require(try JSONSerialization.jsonObject(with: list) as? [String: Any])
            let stored = Set((json["alerts"] as? [[String: Any]] ?? []).compactMap { $0["fingerprint"] as? String })
            #expect(accepted.isSubset(of: stored), "every alert answered 202 is in the store")
            #expect(accepted.count >= 6)
        }
    }
}
