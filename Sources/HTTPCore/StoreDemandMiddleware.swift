import AlertCore
import Hummingbird

/// Marks the handling of every request (`StoreDemand.fromRequest`), so that a tenant a request
/// waits for is set up ahead of those background work asks for.
public struct StoreDemandMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await StoreDemand.$fromRequest.withValue(true) { try await next(request, context) }
    }
}
