import Foundation
import HTTPTypes
import Hummingbird

/// An RFC 9457 problem: every error alertd answers is `application/problem+json`.
public struct Problem: HTTPResponseError, Equatable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    /// For invalid input: the path of the offending field, e.g. `alerts[0].labels.alertname`.
    public var field: String?
    /// Seconds after which the client may retry (`Retry-After`).
    public var retryAfter: Int?

    public init(status: HTTPResponse.Status, title: String, detail: String, field: String? = nil, retryAfter: Int? = nil) {
        self.status = status
        self.title = title
        self.detail = detail
        self.field = field
        self.retryAfter = retryAfter
    }

    public static func unauthorized(_ detail: String) -> Problem {
        Problem(status: .unauthorized, title: "Unauthorized", detail: detail)
    }

    public static func forbidden(_ detail: String) -> Problem {
        Problem(status: .forbidden, title: "Forbidden", detail: detail)
    }

    public static func badRequest(_ detail: String, field: String? = nil) -> Problem {
        Problem(status: .badRequest, title: "Bad request", detail: detail, field: field)
    }

    public static func notFound(_ detail: String) -> Problem {
        Problem(status: .notFound, title: "Not found", detail: detail)
    }

    public static func unavailable(_ detail: String) -> Problem {
        Problem(status: .serviceUnavailable, title: "Service unavailable", detail: detail, retryAfter: 5)
    }

    struct Body: Encodable {
        var type = "about:blank"
        var title: String
        var status: Int
        var detail: String
        var field: String?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(Body(title: title, status: status.code, detail: detail, field: field))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
