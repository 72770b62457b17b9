import Foundation
import HTTPCore
import Hummingbird

/// Answers errors on Alertmanager's API the way its clients read them: a client that asks for
/// `application/json` only (amtool and other clients generated from Alertmanager's spec) gets
/// the problem's detail as a JSON string, the error body that spec declares; any other client
/// gets problem+json. The status is the same either way.
public struct AlertmanagerErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem where Self.wantsJSONString(request) {
            var detail = problem.detail
            if let field = problem.field { detail += " (\(field))" }
            var response = try problem.response(from: request, context: context)
            let body = try JSONEncoder().encode(detail)
            response.headers[.contentType] = "application/json"
            response.body = .init(byteBuffer: ByteBuffer(bytes: body))
            return response
        }
    }

    /// Whether the request accepts JSON and not problem+json.
    static func wantsJSONString(_ request: Request) -> Bool {
        guard let accept = request.headers[.accept]?.lowercased() else { return false }
        return accept.contains("application/json") && !accept.contains("application/problem+json")
    }
}
