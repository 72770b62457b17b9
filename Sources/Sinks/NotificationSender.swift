import AlertCore
import AsyncHTTPClient
import Foundation
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

    /// Delivers once; returns the HTTP status on success.
    public func send(_ notification: AlertNotification, to receiver: ReceiverConfig, from part: Int = 0) async throws(DeliveryFailure) -> Int {
        guard let sink = registry.sinks[receiver.kind], let settings = receiver.sink else {
            throw DeliveryFailure(retryable: false, message: "sink \"\(receiver.kind)\" is not available")
        }
        let http = SinkHTTP(
            client: client, traceparent: TraceParent.current(orCarried: notification.traceparent), isRetryable: { sink.isRetryable(status: $0) })
        return try await sink.deliver(notification, reading: settings, secrets: secrets, http: http, from: part)
    }
}
