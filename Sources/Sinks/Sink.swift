import AlertCore
import Foundation
import NIOHTTP1

/// A kind of notification target. A sink reads its receivers' settings once, when their tenant
/// loads, into its own `Settings`, and delivers a notification about one alert group with the
/// HTTP requests its API needs; retrying, pacing and recording are shared.
public protocol Sink: Sendable {
    /// What a receiver of this sink configures: typed, checked, every default filled in.
    associatedtype Settings: ReceiverSettings

    /// The key that selects this sink in a receiver, e.g. `webhook`.
    var kind: String { get }

    /// Reads a receiver's settings as written in tenant.yaml: the typed settings, or every
    /// problem with them, with field paths below `path`.
    func read(_ settings: JSONValue, at path: String) -> Result<Settings, ConfigProblems>

    /// Delivers `notification` through `http`; returns the HTTP status of the last answer.
    /// Throws a `DeliveryFailure` that says whether trying again may help.
    func deliver(_ notification: AlertNotification, settings: Settings, secrets: SecretResolver, http: SinkHTTP) async throws(DeliveryFailure)
        -> Int

    /// Delivers `notification` from its part `part` on, for a sink that sends a notification
    /// as several requests: the parts before `part` reached the target on an earlier try, and
    /// a failure says in `partsDelivered` how far this one got. Other sinks send it whole.
    func deliver(
        _ notification: AlertNotification, settings: Settings, secrets: SecretResolver, http: SinkHTTP, from part: Int
    ) async throws(DeliveryFailure) -> Int

    /// Whether an answer with this HTTP status is worth retrying.
    func isRetryable(status: Int) -> Bool
}

extension Sink {
    public func deliver(
        _ notification: AlertNotification, settings: Settings, secrets: SecretResolver, http: SinkHTTP, from part: Int
    ) async throws(DeliveryFailure) -> Int {
        try await deliver(notification, settings: settings, secrets: secrets, http: http)
    }

    /// 408, 425, 429 and every 5xx: the target may accept the same request later.
    public func isRetryable(status: Int) -> Bool {
        status == 408 || status == 425 || status == 429 || status >= 500
    }

    /// `read`, for a caller that holds any sink.
    func readSettings(_ settings: JSONValue, at path: String) -> Result<any ReceiverSettings, ConfigProblems> {
        read(settings, at: path).map { $0 }
    }

    /// Delivers with settings this sink read when the tenant loaded; settings of another kind
    /// are a failure no retry mends.
    func deliver(
        _ notification: AlertNotification, reading settings: any ReceiverSettings, secrets: SecretResolver, http: SinkHTTP, from part: Int
    ) async throws(DeliveryFailure) -> Int {
        guard let settings = settings as? Settings else {
            throw DeliveryFailure(retryable: false, message: "the receiver's settings were not read by the \(kind) sink")
        }
        return try await deliver(notification, settings: settings, secrets: secrets, http: http, from: part)
    }
}

/// A sink whose API takes one request per notification.
public protocol SingleRequestSink: Sink {
    /// The request that delivers `notification`; throws when a secret cannot be resolved.
    func request(for notification: AlertNotification, settings: Settings, secrets: SecretResolver) throws(DeliveryFailure)
        -> SinkRequest

    /// A failure the target reports inside a 2xx answer (Slack's `"ok": false`), or nil.
    func failure(inAnswer body: String, status: Int) -> DeliveryFailure?
}

extension SingleRequestSink {
    /// A 2xx answer is a delivery.
    public func failure(inAnswer body: String, status: Int) -> DeliveryFailure? { nil }

    /// Sends `request(for:)` once.
    public func deliver(_ notification: AlertNotification, settings: Settings, secrets: SecretResolver, http: SinkHTTP) async throws(DeliveryFailure)
        -> Int
    {
        let response = try await http.send(try request(for: notification, settings: settings, secrets: secrets))
        if let failure = failure(inAnswer: response.body, status: response.status) { throw failure }
        return response.status
    }
}

/// One HTTP request a sink wants sent.
public struct SinkRequest: Sendable {
    public var method: HTTPMethod
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]
    public var timeout: TimeInterval

    public init(method: HTTPMethod = .POST, url: String, headers: [(String, String)], body: [UInt8] = [], timeout: TimeInterval = 10) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// A target's answer to a request.
public struct SinkResponse: Sendable {
    public var status: Int
    /// The body, at most 64 KiB of it.
    public var body: String
}

/// Why a delivery failed and whether trying again may help.
public struct DeliveryFailure: Error, Sendable, CustomStringConvertible {
    public var retryable: Bool
    /// The target's `Retry-After`, in seconds.
    public var retryAfter: TimeInterval?
    public var httpStatus: Int?
    public var message: String
    /// For a notification sent as several requests: how many of its parts reached the target
    /// before this failure, counted from its first part.
    public var partsDelivered: Int?

    public init(retryable: Bool, retryAfter: TimeInterval? = nil, httpStatus: Int? = nil, message: String, partsDelivered: Int? = nil) {
        self.retryable = retryable
        self.retryAfter = retryAfter
        self.httpStatus = httpStatus
        self.message = message
        self.partsDelivered = partsDelivered
    }

    public var description: String { message }
}
