import AsyncHTTPClient
import Foundation
import HTTPCore
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import RatingAPI

/// `alertd gateway`'s door to the web console: passes `/ui/` requests on to `alertd rating`
/// as they came, cookies included, and streams the answer back (the live alert list is a
/// stream). The console's sessions and CSRF tokens live in rating, whose sign-in checks the
/// tenant's own token.
struct ConsoleForwarder: Sendable {
    let client: HTTPClient
    /// `http://host:port` of `alertd rating`.
    let upstream: String

    static let forwardedRequestHeaders: Set<String> = ["content-type", "accept", "cookie", "user-agent", "x-forwarded-proto"]
    static let forwardedResponseHeaders: Set<String> = [
        "content-type", "location", "set-cookie", "cache-control", "content-security-policy", "x-content-type-options", "referrer-policy",
    ]
    static let maxFormBytes = 64 * 1_024

    func register(on router: Router<AlertdRequestContext>) {
        let ui = router.group("ui")
        for method in [HTTPRequest.Method.get, .post] {
            ui.on("", method: method, use: forward)
            ui.on("**", method: method, use: forward)
        }
    }

    @Sendable func forward(_ request: Request, context: AlertdRequestContext) async throws -> Response {
        var outbound = HTTPClientRequest(url: upstream + request.uri.description)
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where Self.forwardedRequestHeaders.contains(field.name.canonicalName) {
            outbound.headers.add(name: field.name.canonicalName, value: field.value)
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maxFormBytes)
        } catch is NIOTooManyBytesError {
            throw Problem(status: .contentTooLarge, title: "Body too large", detail: "a console form may have at most 64 KiB")
        }
        if body.readableBytes > 0 { outbound.body = .bytes(body) }
        let answer: HTTPClientResponse
        do {
            answer = try await client.execute(outbound, timeout: .seconds(30))
        } catch {
            context.logger.error("forwarding to alertd rating failed", metadata: ["error": "\(error)"])
            throw Problem.unavailable("alertd rating cannot be reached; try again shortly")
        }
        var response = Response(status: HTTPResponse.Status(code: Int(answer.status.code)), body: ResponseBody(asyncSequence: answer.body))
        for (name, value) in answer.headers where Self.forwardedResponseHeaders.contains(name.lowercased()) {
            if let field = HTTPField.Name(name) { response.headers.append(HTTPField(name: field, value: value)) }
        }
        return response
    }
}
