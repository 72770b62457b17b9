import AlertCore
import AsyncHTTPClient
import Authentication
import Foundation
import HTTPCore
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import Observability
import RatingAPI

/// `alertd gateway`'s only handler: sends an authenticated request on to `alertd rating`
/// with the verified identity as a short-lived internal token in place of the caller's
/// token, and answers with rating's answer.
struct UpstreamForwarder: Sendable {
    let client: HTTPClient
    /// `http://host:port` of `alertd rating`.
    let upstream: String
    let key: InternalTokenKey
    let catalog: TenantCatalog

    /// Request headers passed on; everything else (the caller's Authorization first) stays.
    static let forwardedRequestHeaders: Set<String> = ["content-type", "accept", "user-agent"]
    /// Response headers passed back.
    static let forwardedResponseHeaders: Set<String> = ["content-type", "retry-after", "allow", "location"]

    @Sendable func forward(_ request: Request, context: AlertdRequestContext) async throws -> Response {
        guard let identity = context.identity else { throw Problem.unauthorized("a bearer token is required") }
        guard let config = catalog[identity.tenant] else { throw Problem.forbidden("tenant \(identity.tenant) is not served here") }
        var outbound = HTTPClientRequest(url: upstream + request.uri.description)
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where Self.forwardedRequestHeaders.contains(field.name.canonicalName) {
            outbound.headers.add(name: field.name.canonicalName, value: field.value)
        }
        outbound.headers.add(name: "Authorization", value: "Bearer \(key.token(for: identity))")
        if let traceparent = TraceParent.current(orCarried: request.headers.first { $0.name.canonicalName == "traceparent" }?.value) {
            outbound.headers.add(name: "traceparent", value: traceparent)
        }
        var request = request
        let body = try await request.collectBody(upTo: config.quotas.maxBodyBytes)
        if body.readableBytes > 0 { outbound.body = .bytes(body) }

        let answer: HTTPClientResponse
        let answerBody: ByteBuffer
        do {
            answer = try await client.execute(outbound, timeout: .seconds(30))
            answerBody = try await answer.body.collect(upTo: 16 << 20)
        } catch {
            context.logger.error("forwarding to alertd rating failed", metadata: ["error": "\(error)"])
            throw Problem.unavailable("alertd rating cannot be reached; nothing was accepted, retry later")
        }
        var response = Response(status: HTTPResponse.Status(code: Int(answer.status.code)), body: .init(byteBuffer: answerBody))
        for (name, value) in answer.headers where Self.forwardedResponseHeaders.contains(name.lowercased()) {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        return response
    }
}
