import AlertCore
import Foundation
import HTTPCore
import Hummingbird

extension ConsoleRoutes {
    @Sendable func alertPage(_ request: Request, context: AlertdRequestContext) async throws -> ConsolePage<AlertContent> {
        let identity = try context.require(anyOf: Scope.alertsRead)
        let session = try session(context)
        let config = try alerts.tenant(identity)
        let fingerprint = try alerts.fingerprint(context)
        let now = alerts.now()
        let (record, deliveries) = try await alerts.readStore(identity) { store in
            (try await store.alert(fingerprint), try await store.deliveries(fingerprint))
        }
        guard let record else { throw Problem.notFound("this tenant has no alert with fingerprint \(fingerprint)") }
        let mutes = record.status == .firing ? try await alertsAndMutes(.firing, identity: identity, config: config).1?.status(of: record) ?? MuteStatus() : MuteStatus()
        let current = try await alerts.readStore(identity) {
            try await $0.rate([record.alert], policy: config.rating, at: now, explaining: true)
        }
        let content = AlertContent(
            record, current: current.first?.rating ?? record.rating, mutes: mutes, deliveries: deliveries, config: config, session: session, now: now)
        return try page(
            "alert", title: content.name, section: .alerts, context: context, content: content,
            flash: request.consoleQuery("done").flatMap { Self.doneText[$0] })
    }

    @Sendable func acknowledgeAlert(_ request: Request, context: AlertdRequestContext) async throws -> Response {
        let fingerprint = try alerts.fingerprint(context)
        _ = try await alerts.acknowledge(fingerprint, as: try context.require(anyOf: Scope.alertsAck))
        return Self.redirect(to: "/ui/alerts/\(fingerprint)?done=acknowledged")
    }

    @Sendable func resolveAlert(_ request: Request, context: AlertdRequestContext) async throws -> Response {
        let fingerprint = try alerts.fingerprint(context)
        _ = try await alerts.resolve(fingerprint, as: try context.require(anyOf: Scope.alertsAck), logger: context.logger)
        return Self.redirect(to: "/ui/alerts/\(fingerprint)?done=resolved")
    }

    @Sendable func giveFeedback(_ request: Request, context: AlertdRequestContext) async throws -> Response {
        let identity = try context.require(anyOf: Scope.alertsAck)
        let fingerprint = try alerts.fingerprint(context)
        guard let kind = form(context)["kind"].flatMap(FeedbackKind.init) else { throw AlertRoutes.invalidFeedback }
        _ = try await alerts.feedback(fingerprint, kind, as: identity)
        return Self.redirect(to: "/ui/alerts/\(fingerprint)?done=\(kind.rawValue)")
    }

    /// What the page says after an action, by its `done` parameter.
    static let doneText = [
        "acknowledged": "Acknowledged: the response counts in the group's history.",
        "resolved": "Resolved: the receivers hear of it.",
        "actionable": "Marked actionable: the source's reliability counts it, and the learned model once the alert ends.",
        "noise": "Marked noise: the source's reliability counts it, and the learned model once the alert ends.",
    ]
}

/// The alert page.
struct AlertContent {
    var fingerprint: String
    var name: String
    var status: String
    var firing: Bool
    var source: String
    var occurrencesText: String
    var firstSeen: ConsoleTime
    var lastSeen: ConsoleTime
    var acknowledgedBy: String?
    var feedback: String?
    var silencedBy: [String]
    var inhibitedBy: [String]
    var canAck: Bool
    var silenceURL: String?
    var score: String
    var priority: String
    var scoreAtArrival: String
    var priorityAtArrival: String
    var learnedText: String?
    var factors: [FactorRow]
    var hasFeatures: Bool
    var features: [FeatureRow]
    var labels: [ConsoleNameValue]
    var annotations: [ConsoleNameValue]
    var groups: [GroupRow]
    var notifications: [NotificationRow]

    struct FactorRow {
        var name: String
        var value: String
        var weight: String
        var contribution: String
        var barWidth: String
        var detail: String
    }

    struct FeatureRow {
        var name: String
        var contribution: String
        var share: String
        var barWidth: String
        /// `raises` or `lowers`: which way the feature moves the score.
        var direction: String
        var detail: String
    }

    struct GroupRow {
        var receiver: String
        var group: String
    }

    struct NotificationRow {
        var receiver: String
        var status: String
        var group: String
        var state: String
        var nextAttempt: ConsoleTime?
        var attempts: [AttemptRow]
    }

    struct AttemptRow {
        var at: ConsoleTime
        var outcome: String
        var httpStatus: Int?
        var error: String?
    }

    init(
        _ record: AlertRecord, current: Rating, mutes: MuteStatus, deliveries: [DeliveryRecord], config: TenantConfig, session: ConsoleSession,
        now: Date
    ) {
        fingerprint = record.fingerprint.rawValue
        name = record.alert.name.isEmpty ? "(no alertname)" : record.alert.name
        status = record.status.rawValue
        firing = record.status == .firing
        source = record.alert.source
        occurrencesText = record.occurrences == 1 ? "seen once" : "seen \(record.occurrences) times"
        firstSeen = ConsoleTime(record.firstSeenAt, now: now)
        lastSeen = ConsoleTime(record.lastSeenAt, now: now)
        acknowledgedBy = record.acknowledgedBy
        feedback = record.feedback?.rawValue
        silencedBy = mutes.silencedBy
        inhibitedBy = mutes.inhibitedBy.map(\.rawValue)
        canAck = session.has(Scope.alertsAck)
        silenceURL = session.has(Scope.silencesWrite) ? Self.silenceURL(record.alert) : nil
        score = current.score.consoleText
        priority = current.priority.rawValue
        scoreAtArrival = record.rating.score.consoleText
        priorityAtArrival = record.rating.priority.rawValue
        if let learned = current.learned {
            learnedText =
                "Learned P(actionable) \(learned.probability.consoleText), which makes \(Int((learned.handover * 100).rounded())) % of the score; the fixed weights' factors make the rest."
        }
        factors = current.factors.map {
            FactorRow(
                name: $0.name, value: $0.value.consoleText, weight: $0.weight.consoleText, contribution: $0.contribution.consoleText,
                barWidth: String(format: "%.1f", min(1, max(0, $0.contribution)) * 100), detail: $0.detail)
        }
        features = (current.learned?.assessment?.features ?? []).map {
            FeatureRow(
                name: $0.name, contribution: String(format: "%+.2f", $0.contribution), share: "\(Int(($0.share * 100).rounded())) %",
                barWidth: String(format: "%.1f", $0.share * 100), direction: $0.contribution < 0 ? "lowers" : "raises", detail: $0.detail)
        }
        hasFeatures = !features.isEmpty
        labels = ConsoleNameValue.sorted(record.alert.labels)
        annotations = ConsoleNameValue.sorted(record.alert.annotations)
        groups = config.route.match(labels: record.alert.labels, rating: record.rating).map { route in
            let key = AlertGroupKey(route: route, alertLabels: record.alert.labels)
            let labels = key.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ", ")
            return GroupRow(receiver: route.receiver.rawValue, group: "{\(labels)}")
        }
        notifications = deliveries.map { delivery in
            NotificationRow(
                receiver: delivery.receiver.rawValue, status: delivery.status.rawValue, group: delivery.group, state: delivery.state.rawValue,
                nextAttempt: delivery.state == .pending ? delivery.nextAttemptAt.map { ConsoleTime($0, now: now) } : nil,
                attempts: delivery.attempts.map {
                    AttemptRow(at: ConsoleTime($0.at, now: now), outcome: $0.outcome.rawValue, httpStatus: $0.httpStatus, error: $0.error)
                })
        }
    }

    /// The new-silence form prefilled with the labels that name this alert's kind.
    static func silenceURL(_ alert: Alert) -> String {
        let matchers = ["alertname", "service", "job", "instance"].compactMap { name in
            alert.labels[name].map { "\(name)=\"\($0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\"" }
        }
        return "/ui/silences/new?matchers=\(matchers.joined(separator: "\n").queryEncoded)&duration=2h"
    }
}
