import AlertCore
import Foundation
import HTTPCore
import Hummingbird

extension AlertRoutes {
    /// `GET /v1/deliveries?status=dead|pending|delivered&limit=N`: the tenant's notifications in
    /// one state, newest first (default: the dead ones).
    @Sendable func listDeliveries(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.tenantAdmin)
        let parameters = request.uri.queryParameters
        var state = DeliveryState.dead
        if let text = parameters["status"] {
            guard let parsed = DeliveryState(rawValue: String(text)) else {
                throw Problem.badRequest("status must be dead, pending or delivered", field: "status")
            }
            state = parsed
        }
        var limit = 100
        if let text = parameters["limit"] {
            guard let parsed = Int(String(text)), (1...500).contains(parsed) else {
                throw Problem.badRequest("limit must be a whole number between 1 and 500", field: "limit")
            }
            limit = parsed
        }
        let deliveries = try await readStore(identity) { try await $0.deliveries(in: state, limit: limit) }
        return JSONBody(value: DeliveryList(deliveries: deliveries))
    }

    /// `POST /v1/deliveries/{id}/replay`: puts a dead notification back in the queue.
    @Sendable func replayDelivery(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.tenantAdmin)
        guard let text = context.parameters.get("id"), let id = Int64(text) else { throw Problem.notFound("delivery ids are whole numbers") }
        return JSONBody(value: try await replay(delivery: id, as: identity))
    }

    /// Puts the tenant's dead notification back in the queue and wakes the delivery worker;
    /// 404 when the tenant has no dead notification with that id.
    func replay(delivery id: Int64, as identity: TenantIdentity) async throws -> DeliverySummary {
        let replayed = try await readStore(identity) { try await $0.replay(delivery: id, at: now()) }
        guard let replayed else { throw Problem.notFound("no dead notification with id \(id)") }
        deliveriesDue(identity.tenant)
        return replayed
    }
}

struct DeliveryList: Encodable {
    var deliveries: [DeliverySummary]
}
