import Hummingbird
import RatingAPI

/// Sets the request's identity from its bearer token. A request without a token passes on
/// without an identity (routes that need one answer 401); a bad token is answered 401 here.
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = AlertdRequestContext
    let verifier: TokenVerifier

    public init(verifier: TokenVerifier) {
        self.verifier = verifier
    }

    public func handle(
        _ request: Request, context: AlertdRequestContext, next: (Request, AlertdRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization] else { return try await next(request, context) }
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            throw Problem.unauthorized("the Authorization header must be \"Bearer <token>\"")
        }
        var context = context
        let identity = try await verifier.verify(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        context.identity = identity
        context.logger[metadataKey: "tenant"] = .string(identity.tenant.rawValue)
        return try await next(request, context)
    }
}
