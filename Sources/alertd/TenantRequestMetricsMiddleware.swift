import HTTPCore
import Hummingbird
import Observability
import RatingAPI

/// Counts the requests of each authenticated tenant by status; runs after authentication.
struct TenantRequestMetricsMiddleware: RouterMiddleware {
    typealias Context = AlertdRequestContext
    let metrics: AlertdMetrics

    func handle(
        _ request: Request, context: AlertdRequestContext, next: (Request, AlertdRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let tenant = context.identity?.tenant.rawValue else { return try await next(request, context) }
        do {
            let response = try await next(request, context)
            metrics.recordTenantRequest(tenant: tenant, status: response.status.code)
            return response
        } catch {
            metrics.recordTenantRequest(tenant: tenant, status: (error as? any HTTPResponseError)?.status.code ?? 500)
            throw error
        }
    }
}
