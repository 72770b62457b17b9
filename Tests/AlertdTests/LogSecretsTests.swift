import Foundation
import Testing
import TestSupport

/// Everything a real `alertd serve` logs at debug level while it takes tokens good and bad,
/// delivers through failures to a webhook whose URL path and signing key are secrets, and
/// reloads: each line is a JSON object with the standard fields, and no line holds a token,
/// a signature, the signing key or the URL's secret path.
@Suite(.serialized) struct LogSecretsTests {
    @Test func aFullRunLogsNoTokenAndNoSecret() async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let secretPath = "T0K-\(UUID().uuidString)"
        let signingKey = "whsec-\(UUID().uuidString)"
        let hook = ScriptedReceiver(script: [(500, nil), (429, "1"), (503, nil)])
        let (log, tokens) = try await hook.serve { hookPort in
            let server = try await AlertdServer(
                deployment, arguments: ["--log-level", "debug"],
                environment: ["HOOK_URL": "http://127.0.0.1:\(hookPort)/hook/\(secretPath)", "HOOK_SECRET": signingKey])
            defer { server.terminate() }
            let writer = try await server.token("acme", "alerts:write", "alerts:read", "tenant:admin")
            let reader = try await server.token("globex", "alerts:read")
            let tampered = String(writer.dropLast(4)) + (writer.hasSuffix("AAAA") ? "BBBB" : "AAAA")

            for index in 0..<3 {
                let posted = try await server.request(
                    "/v1/alerts", token: writer, body: #"{"labels": {"alertname": "Secretive", "instance": "i-\#(index)"}}"#)
                #expect(posted.status == 202)
            }
            #expect(try await server.request("/v1/alerts", token: tampered, body: #"{"labels": {"alertname": "X"}}"#).status == 401)
            #expect(try await server.request("/v1/alerts", token: reader, body: #"{"labels": {"alertname": "X"}}"#).status == 403)
            #expect(try await server.request("/v1/tenant/usage", token: reader).status == 403)
            #expect(try await server.request("/-/reload", token: writer, body: "").status == 200)
            #expect(try await eventually(seconds: 60) { await hook.received.count >= 6 }, "every alert arrives after the failures")
            #expect(await hook.received.allSatisfy { $0.path == "/hook/\(secretPath)" })
            await server.stop()
            return (server.logText, [writer, reader])
        }
        let secrets = [secretPath, signingKey] + tokens + tokens.map { String($0.split(separator: ".").last ?? "") }

        let lines = log.split(separator: "\n")
        #expect(lines.count > 20, "a debug run logs plenty")
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["timestamp"] != nil && object?["level"] != nil && object?["message"] != nil, "a JSON log line: \(line)")
        }
        #expect(lines.contains { $0.contains(#""request_id""#) }, "request logs carry request_id")
        #expect(lines.contains { $0.contains("denied 401") }, "the denied request is audited")
        #expect(lines.contains { $0.contains("delivery retry") }, "the failed deliveries are logged")
        for secret in secrets where !secret.isEmpty {
            let leaks = lines.filter { $0.contains(secret) }
            #expect(leaks.isEmpty, "a secret (\(secret.prefix(6))…) is in the log: \(leaks.first ?? "")")
        }
    }
}
