import AlertCore
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Observability

/// Sends a notification to its receiver's sink and classifies the answer.
public struct NotificationSender: Sendable {
    let client: HTTPClient
    let registry: SinkRegistry
    let secrets: SecretResolver

    public init(client: HTTPClient, registry: SinkRegistry = .standard, secrets: SecretResolver = SecretResolver()) {
        self.client = client
        self.registry = registry
        self.secrets = secrets
    }

    /// A client for sinks: a failed connection fails the attempt at once (the delivery worker
    /// retries with backoff) instead of holding it until the request deadline.
    public static func makeHTTPClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.timeout.connect = .seconds(5)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Whether `receiver` is told about resolved alerts.
    public func sendsResolved(_ receiver: ReceiverConfig) -> Bool {
        registry.sinks[receiver.kind]?.sendsResolved(settings: receiver.settings) ?? true
    }

    /// Delivers once; returns the HTTP status on success.
    public func send(_ notification: AlertNotification, to receiver: ReceiverConfig) async throws(DeliveryFailure) -> Int {
        guard let sink = registry.sinks[receiver.kind] else {
            throw DeliveryFailure(retryable: false, message: "sink \"\(receiver.kind)\" is not available")
        }
        let prepared = try sink.request(for: notification, settings: receiver.settings, secrets: secrets)
        var request = HTTPClientRequest(url: prepared.url)
        request.method = .POST
        request.headers.add(name: "User-Agent", value: "alertd")
        for (name, value) in prepared.headers { request.headers.add(name: name, value: value) }
        if let traceparent = TraceParent.current(orCarried: notification.traceparent) { request.headers.replaceOrAdd(name: "traceparent", value: traceparent) }
        request.body = .bytes(ByteBuffer(bytes: prepared.body))

        let response: HTTPClientResponse
        let answer: String
        do {
            response = try await client.execute(request, timeout: .milliseconds(Int64(prepared.timeout * 1000)))
            let body = try await response.body.collect(upTo: 64 * 1024)
            answer = String(buffer: body)
        } catch {
            throw DeliveryFailure(retryable: true, message: "request failed: \(error)")
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let retryAfter = response.headers.first(name: "Retry-After").flatMap { RetryAfter.seconds($0, now: Date()) }
            throw DeliveryFailure(
                retryable: sink.isRetryable(status: status), retryAfter: retryAfter, httpStatus: status,
                message: "HTTP \(status)\(answer.isEmpty ? "" : ": \(answer.prefix(200))")")
        }
        if let failure = sink.failure(inAnswer: answer, status: status) { throw failure }
        return status
    }
}
