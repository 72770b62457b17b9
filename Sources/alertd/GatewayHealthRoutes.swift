import AlertCore
import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOCore
import RatingAPI

/// `alertd gateway`'s `/healthz` (alive) and `/readyz`: tenants loaded and `alertd rating`
/// ready behind it.
struct GatewayHealthRoutes: Sendable {
    let catalog: TenantCatalog
    let client: HTTPClient
    let upstream: String

    func register(on router: Hummingbird.Router<AlertdRequestContext>) {
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, _ -> Response in
            var reasons: [String] = []
            if catalog.all.isEmpty { reasons.append("no tenants are loaded") }
            let upstreamReady = (try? await client.execute(HTTPClientRequest(url: "\(upstream)/readyz"), timeout: .seconds(2)))?.status == .ok
            if !upstreamReady { reasons.append("alertd rating is not ready") }
            let body = try JSONSerialization.data(
                withJSONObject: ["ready": reasons.isEmpty, "tenants": catalog.all.count, "reasons": reasons], options: [.sortedKeys])
            return Response(
                status: reasons.isEmpty ? .ok : .serviceUnavailable, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}
