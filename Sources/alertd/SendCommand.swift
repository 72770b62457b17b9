import ArgumentParser
import AsyncHTTPClient
import Foundation
import NIOCore

/// `alertd send`: posts a native alert file to a running alertd.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send", abstract: "Post alerts from a JSON file (one alert or {\"alerts\": [...]}) to alertd.")

    @Option(help: "Base URL of alertd.")
    var url: String = "http://127.0.0.1:8080"

    @Option(help: "Bearer token with the alerts:write scope. (env: ALERTD_TOKEN)")
    var token: String?

    @Option(help: "The JSON file to send; - reads standard input.")
    var file: String

    func run() async throws {
        guard let token = token ?? CommonOptions.environment("ALERTD_TOKEN") else { throw ValidationError("--token or ALERTD_TOKEN is required") }
        let body: Data
        if file == "-" {
            body = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            body = data
        }
        var request = HTTPClientRequest(url: url.hasSuffix("/") ? "\(url)v1/alerts" : "\(url)/v1/alerts")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let answer = try await response.body.collect(upTo: 16 * 1024 * 1024)
        print(String(buffer: answer))
        guard (200..<300).contains(response.status.code) else {
            printError("alertd answered \(response.status.code)")
            throw ExitCode.failure
        }
    }
}
