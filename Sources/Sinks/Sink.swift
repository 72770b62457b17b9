import AlertCore
import Foundation

/// A kind of notification target. A sink validates its receiver settings and turns a
/// notification into one HTTP request; sending, retrying and recording are shared.
public protocol Sink: Sendable {
    /// The key that selects this sink in a receiver, e.g. `webhook`.
    var kind: String { get }

    /// Problems with a receiver's settings, with field paths below `path`.
    func problems(settings: JSONValue, at path: String) -> [ConfigProblem]

    /// The request that delivers `notification`; throws when a secret cannot be resolved.
    func request(for notification: AlertNotification, settings: JSONValue, secrets: SecretResolver) throws(DeliveryFailure)
        -> SinkRequest

    /// Whether an answer with this HTTP status is worth retrying.
    func isRetryable(status: Int) -> Bool

    /// Whether the receiver wants to hear that an alert resolved.
    func sendsResolved(settings: JSONValue) -> Bool

    /// A failure the target reports inside a 2xx answer (Slack's `"ok": false`), or nil.
    func failure(inAnswer body: String, status: Int) -> DeliveryFailure?
}

extension Sink {
    /// 408, 425, 429 and every 5xx: the target may accept the same request later.
    public func isRetryable(status: Int) -> Bool {
        status == 408 || status == 425 || status == 429 || status >= 500
    }

    /// A 2xx answer is a delivery.
    public func failure(inAnswer body: String, status: Int) -> DeliveryFailure? { nil }

    /// `send_resolved`, true unless set to false.
    public func sendsResolved(settings: JSONValue) -> Bool {
        SinkSettings.sendResolved(settings)
    }
}

/// One HTTP request a sink wants sent.
public struct SinkRequest: Sendable {
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]
    public var timeout: TimeInterval

    public init(url: String, headers: [(String, String)], body: [UInt8], timeout: TimeInterval = 10) {
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

/// Why a delivery failed and whether trying again may help.
public struct DeliveryFailure: Error, Sendable, CustomStringConvertible {
    public var retryable: Bool
    /// The target's `Retry-After`, in seconds.
    public var retryAfter: TimeInterval?
    public var httpStatus: Int?
    public var message: String

    public init(retryable: Bool, retryAfter: TimeInterval? = nil, httpStatus: Int? = nil, message: String) {
        self.retryable = retryable
        self.retryAfter = retryAfter
        self.httpStatus = httpStatus
        self.message = message
    }

    public var description: String { message }
}
