import AlertCore
import Foundation
import HTTPCore
import Hummingbird

extension ConsoleRoutes {
    @Sendable func deliveriesPage(_ request: Request, context: AlertdRequestContext) async throws -> ConsolePage<DeliveriesContent> {
        let identity = try context.require(anyOf: Scope.tenantAdmin)
        var state = DeliveryState.dead
        if let text = request.consoleQuery("state"), !text.isEmpty {
            guard let parsed = DeliveryState(rawValue: text) else { throw Problem.badRequest("state must be dead, pending or delivered", field: "state") }
            state = parsed
        }
        let now = alerts.now()
        let deliveries = try await alerts.readStore(identity) { try await $0.deliveries(in: state, limit: 200) }
        let content = DeliveriesContent(
            state: state.rawValue,
            states: [DeliveryState.dead, .pending, .delivered].map { ConsoleOption(value: $0.rawValue, label: $0.rawValue, selected: $0 == state) },
            deliveries: deliveries.map { DeliveriesContent.Row($0, now: now) })
        return try page(
            "deliveries", title: "Deliveries", section: .deliveries, context: context, content: content,
            flash: request.consoleQuery("done") == "replayed" ? "Replayed: the notification is due now." : nil)
    }

    @Sendable func replayDelivery(_ request: Request, context: AlertdRequestContext) async throws -> Response {
        let identity = try context.require(anyOf: Scope.tenantAdmin)
        guard let text = context.parameters.get("id"), let id = Int64(text) else { throw Problem.notFound("delivery ids are whole numbers") }
        _ = try await alerts.replay(delivery: id, as: identity)
        return Self.redirect(to: "/ui/deliveries?state=pending&done=replayed")
    }
}

/// The deliveries page.
struct DeliveriesContent {
    var state: String
    var states: [ConsoleOption]
    var deliveries: [Row]

    struct Row {
        var id: String
        var fingerprint: String
        var alertName: String
        var others: Int?
        var receiver: String
        var status: String
        var state: String
        var attempts: Int
        var createdAt: ConsoleTime
        var lastError: String
        var dead: Bool

        init(_ summary: DeliverySummary, now: Date) {
            id = String(summary.id)
            fingerprint = summary.fingerprint.rawValue
            alertName = summary.alertName
            others = summary.alertCount > 1 ? summary.alertCount - 1 : nil
            receiver = summary.receiver.rawValue
            status = summary.status.rawValue
            state = summary.state.rawValue
            attempts = summary.attempts
            createdAt = ConsoleTime(summary.createdAt, now: now)
            lastError = summary.lastError ?? ""
            dead = summary.state == .dead
        }
    }
}
