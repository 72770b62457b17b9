import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends a sink's requests: adds the user agent and the trace context, and turns every
/// answer outside 2xx into a `DeliveryFailure` that carries the status, whether the sink
/// retries it and the target's `Retry-After`.
public struct SinkHTTP: Sendable {
    let client: HTTPClient
    let traceparent: String?
    let isRetryable: @Sendable (Int) -> Bool

    public init(client: HTTPClient, traceparent: String?, isRetryable: @escaping @Sendable (Int) -> Bool) {
        self.client = client
        self.traceparent = traceparent
        self.isRetryable = isRetryable
    }

    /// Sends `prepared` and returns a 2xx answer; throws for anything else.
    public func send(_ prepared: SinkRequest) async throws(DeliveryFailure) -> SinkResponse {
        let response = try await exchange(prepared)
        guard (200..<300).contains(response.status) else {
            throw DeliveryFailure(
                retryable: isRetryable(response.status), retryAfter: response.retryAfter, httpStatus: response.status,
                message: "\(prepared.method.rawValue) HTTP \(response.status)\(response.body.isEmpty ? "" : ": \(response.body.prefix(200))")")
        }
        return SinkResponse(status: response.status, body: response.body)
    }

    /// Sends `prepared` and returns whatever the target answered; throws only when no
    /// answer came.
    public func exchange(_ prepared: SinkRequest) async throws(DeliveryFailure) -> (status: Int, body: String, retryAfter: TimeInterval?) {
        var request = HTTPClientRequest(url: prepared.url)
        request.method = prepared.method
        request.headers.add(name: "User-Agent", value: "alertd")
        for (name, value) in prepared.headers { request.headers.add(name: name, value: value) }
        if let traceparent { request.headers.replaceOrAdd(name: "traceparent", value: traceparent) }
        if !prepared.body.isEmpty || prepared.method == .POST || prepared.method == .PUT || prepared.method == .PATCH {
            request.body = .bytes(ByteBuffer(bytes: prepared.body))
        }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(Int64(prepared.timeout * 1000)))
            let body = String(buffer: try await response.body.collect(upTo: 64 * 1024))
            let retryAfter = response.headers.first(name: "Retry-After").flatMap { RetryAfter.seconds($0, now: Date()) }
            return (Int(response.status.code), body, retryAfter)
        } catch {
            throw DeliveryFailure(retryable: true, message: "\(prepared.method.rawValue) request failed: \(error)")
        }
    }
}
