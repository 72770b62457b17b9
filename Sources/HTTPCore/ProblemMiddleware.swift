import Hummingbird
import Logging

/// Answers every error as problem+json: Hummingbird's own errors keep their status, and an
/// unexpected error becomes a 500 whose details stay in the log.
public struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let error as HTTPError {
            let detail = error.body ?? (error.status == .notFound ? "no route for \(request.method) \(request.uri.path)" : error.status.reasonPhrase)
            return try Problem(status: error.status, title: error.status.reasonPhrase, detail: detail).response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            return try Problem(status: error.status, title: error.status.reasonPhrase, detail: error.status.reasonPhrase)
                .response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return try Problem(status: .internalServerError, title: "Internal error", detail: "the request failed; see the server log")
                .response(from: request, context: context)
        }
    }
}
