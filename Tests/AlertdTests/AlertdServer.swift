import AsyncHTTPClient
import Foundation
import NIOCore
import TestSupport
import Testing

/// A real `alertd serve --dev` process on a test deployment, its standard error (every JSON
/// log line) kept in `<root>/alertd.log`.
struct AlertdServer {
    let process: Process
    let port: Int
    let deployment: TestDeployment
    var log: String { "\(deployment.root)/alertd.log" }

    /// Starts the binary with `arguments` after the deployment's own, and `environment` added
    /// to the test's; waits until `/readyz` answers 200 (at most a minute: a loaded machine
    /// migrating PostgreSQL schemas can take a while). With `openFiles`, the process may
    /// open that many files at most (soft and hard limit, set by `sh`'s `ulimit -n`).
    init(
        _ deployment: TestDeployment, arguments: [String] = [], environment: [String: String] = [:], openFiles: Int? = nil
    ) async throws {
        self.deployment = deployment
        port = TestPorts.alertd.randomElement()!
        FileManager.default.createFile(atPath: "\(deployment.root)/alertd.log", contents: nil)
        process = Process()
        let serve =
            [
                "serve", "--dev", "--tenants", deployment.tenantsDirectory, "--data-dir", deployment.dataDirectory, "--port", String(port),
            ] + arguments
        if let openFiles {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(openFiles) && exec \"$0\" \"$@\"", PostgresOutageTests.binary] + serve
        } else {
            process.executableURL = URL(fileURLWithPath: PostgresOutageTests.binary)
            process.arguments = serve
        }
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var lastAnswer = "no answer yet"
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            do {
                let answer = try await request("/readyz")
                if answer.status == 200 { return }
                lastAnswer = "\(answer.status) \(answer.body)"
            } catch {
                lastAnswer = "\(error)"
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let running = process.isRunning
        await stop()
        throw DeploymentError(
            message: "alertd did not become ready (\(running ? "still running" : "exited")); /readyz last answered: \(lastAnswer); "
                + "its log ends with:\n\(logText.suffix(2_000))")
    }

    /// Everything the process logged so far.
    var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// A token from `alertd token` for tenant `acme` or `globex` with `scopes`.
    func token(_ name: String, _ scopes: String...) async throws -> String {
        try await token(tenant: name == "acme" ? deployment.acme : deployment.globex, scopes)
    }

    /// A token from `alertd token` for the tenant with id `tenant`, with `scopes`.
    func token(tenant: String, _ scopes: [String]) async throws -> String {
        let (status, token) = try await PostgresOutageTests.run(
            PostgresOutageTests.binary,
            ["token", "--tenant", tenant, "--tenants", deployment.tenantsDirectory, "--data-dir", deployment.dataDirectory]
                + scopes.flatMap { ["--scope", $0] })
        #expect(status == 0)
        return token
    }

    /// Sends a GET, or a POST when there is a body.
    func request(
        _ path: String, token: String? = nil, body: String? = nil, headers: [(String, String)] = []
    ) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = body == nil ? .GET : .POST
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        return (Int(response.status.code), String(buffer: try await response.body.collect(upTo: 1 << 22)))
    }

    /// Stops the process gracefully (SIGTERM) and waits for it, without holding a thread of
    /// the shared pool (`Process.stop`).
    func stop() async {
        await process.stop()
    }

    /// Asks the process to stop (SIGTERM) without waiting: for a `defer`, which cannot await.
    func terminate() {
        if process.isRunning { process.terminate() }
    }
}
