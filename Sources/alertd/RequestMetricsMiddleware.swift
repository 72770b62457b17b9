import HTTPCore
import Hummingbird
import Observability
import RatingAPI

/// Counts and times every request by method, matched route pattern and status.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = AlertdRequestContext
    let metrics: AlertdMetrics

    func handle(
        _ request: Request, context: AlertdRequestContext, next: (Request, AlertdRequestContext) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: response.status.code, since: start)
            return response
        } catch {
            record(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    private func record(_ request: Request, _ context: AlertdRequestContext, status: Int, since start: ContinuousClock.Instant) {
        metrics.recordRequest(
            method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: status, duration: ContinuousClock.now - start)
    }
}
