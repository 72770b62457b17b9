import AlertCore
import Foundation
import HTTPCore
import Hummingbird

extension AlertRoutes {
    /// `POST /v2/enqueue`: PagerDuty's Events API v2, so any tool that can page PagerDuty can
    /// send to alertd. A trigger is ingested as an alert labelled with its `dedup_key` (a
    /// trigger for a `dedup_key` that is still firing refreshes that alert); acknowledge and
    /// resolve act on the firing alert with the `dedup_key`, and are dropped, as PagerDuty
    /// drops them, when there is none. Answers 202 with PagerDuty's body; an invalid event is
    /// 422 with the field, as every ingest format (PagerDuty says 400; its clients retry
    /// neither).
    @Sendable func enqueue(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsWrite)
        let config = try tenant(identity)
        let body = try await ingestBody(request, config: config)
        let event: PagerDutyEvent
        do {
            event = try PagerDutyEvent.decode(body)
        } catch {
            throw Problem(
                status: .unprocessableContent, title: "Invalid event", detail: error.path.isEmpty ? error.reason : "\(error.path) \(error.reason)",
                field: error.path)
        }
        var current: AlertRecord?
        if let key = event.dedupKey {
            current = try await readStore(identity) { try await $0.firingAlert(labelled: PagerDutyEvent.dedupKeyLabel, key) }
        }
        switch event.action {
        case .trigger:
            let dedupKey = event.dedupKey ?? UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let integration = identity.subject.hasPrefix("integration-key:") ? "pagerduty/\(identity.subject.dropFirst(16))" : "pagerduty"
            guard var alert = event.alert(dedupKey: dedupKey, source: integration, receivedAt: now()) else {
                throw Problem(status: .unprocessableContent, title: "Invalid event", detail: "payload is required for a trigger", field: "payload")
            }
            if let current {
                alert.labels = current.alert.labels
                alert.startsAt = current.alert.startsAt
            }
            let rated = try await accept([alert], identity: identity, config: config, request: request, context: context)
            return JSONBody(
                status: .accepted, value: EnqueueAnswer(message: "Event processed", dedupKey: dedupKey, alerts: rated.map { RatingView($0, explain: false) }))
        case .acknowledge, .resolve:
            let dedupKey = event.dedupKey ?? ""
            guard let current else {
                context.logger.info("PagerDuty event for no firing alert dropped", metadata: ["action": "\(event.action.rawValue)"])
                return JSONBody(
                    status: .accepted, value: EnqueueAnswer(message: "No firing alert has this dedup_key; the event was dropped", dedupKey: dedupKey))
            }
            let fingerprint = current.alert.fingerprint
            if event.action == .acknowledge {
                _ = try await readStore(identity) {
                    try await $0.acknowledge(fingerprint, by: identity.subject, at: now(), policy: config.rating)
                }
            } else if let (_, resolution) = try await readStore(identity, { try await $0.resolve(fingerprint, at: now(), policy: config.rating) }), let resolution {
                do {
                    try await bus.publish([resolution])
                } catch {
                    context.logger.warning("publishing failed; the ledger sweep routes the event", metadata: ["error": "\(error)"])
                }
            }
            return JSONBody(status: .accepted, value: EnqueueAnswer(message: "Event processed", dedupKey: dedupKey))
        }
    }
}

/// PagerDuty's answer to an event, with alertd's rating of a trigger's alert.
struct EnqueueAnswer: Encodable {
    var status = "success"
    var message: String
    var dedupKey: String
    var alerts: [RatingView]?

    enum CodingKeys: String, CodingKey {
        case status, message, alerts
        case dedupKey = "dedup_key"
    }
}
