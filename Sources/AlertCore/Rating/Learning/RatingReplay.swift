import Foundation

/// Replays a history of alerts and what operators did with them (JSON Lines, see
/// `RatingReplay.Event`) through a fresh learned model, today's fixed weights, severity alone
/// and the history's own true probabilities, and measures how well each ranks the alerts.
public struct RatingReplay: Sendable {
    /// One line of a history file.
    public enum Event: Sendable {
        case alert(id: String, tenant: String, alert: Alert, truth: Truth?)
        case acknowledged(id: String, tenant: String)
        case feedback(id: String, tenant: String, FeedbackKind)
        case resolved(id: String, tenant: String)
        case silenced(id: String, tenant: String)
    }

    /// What the history's generator knows: the alert's true probability of being actionable
    /// and the sampled truth.
    public struct Truth: Sendable {
        public var probability: Double
        public var actionable: Bool
    }

    /// One alert as each ranking scored it when it fired.
    public struct Scored: Sendable {
        public var tenant: String
        public var source: String
        public var time: Date
        public var learned: Double
        /// The score alertd serves in learned mode: the fixed weights handed over to `learned`.
        public var served: Double
        public var fixed: Double
        public var severity: Double
        public var truth: Truth
    }

    public let policy: RatingPolicy
    public let settings: ActionabilityModel.Settings
    /// How long after an alert resolved its feedback is waited for before it is learned from.
    public let feedbackGrace: TimeInterval = 3_600

    public init(policy: RatingPolicy = RatingPolicy(), settings: ActionabilityModel.Settings = ActionabilityModel.Settings()) {
        self.policy = policy
        self.settings = settings
    }

    /// The per-tenant state of a replay.
    struct TenantState {
        var model: ActionabilityModel
        var reliability: [String: SourceReliability] = [:]
        var history: [String: ResponseHistory] = [:]
        var pending: [String: Pending] = [:]
    }

    struct Pending {
        var alert: Alert
        var assessment: Assessment
        var firedAt: Date
        var latency: TimeInterval?
        var feedback: FeedbackKind?
        var silenced = false
        var resolvedAt: Date?
    }

    /// Scores every alert of `events` (in time order) as it fires, learning from outcomes as
    /// they become known; returns the scored alerts and each tenant's model at the end.
    public func run(_ events: [(Date, Event)]) -> (scored: [Scored], models: [String: ActionabilityModel]) {
        var tenants: [String: TenantState] = [:]
        var scored: [Scored] = []
        var learnedPolicy = policy
        learnedPolicy.mode = .learned
        learnedPolicy.historyHalfLife = settings.halfLife
        learnedPolicy.informativeLabels = settings.informativeLabels
        let engine = RatingEngine(policy: learnedPolicy)
        for (now, event) in events {
            for name in tenants.keys { settle(&tenants[name]!, before: now) }
            switch event {
            case .alert(let id, let tenant, let alert, let truth):
                var state = tenants[tenant] ?? TenantState(model: ActionabilityModel(settings: settings))
                let served = engine.rate(
                    alert, reliability: state.reliability[alert.source], history: state.history[alert.responseGroup], model: state.model,
                    at: now, explaining: true)
                let assessment = served.learned?.assessment ?? state.model.assess(alert, at: now)
                state.model.observe(alert, at: now)
                if let truth {
                    scored.append(
                        Scored(
                            tenant: tenant, source: alert.source, time: now, learned: assessment.probability, served: served.score,
                            fixed: served.factors.reduce(0) { $0 + $1.contribution }.clamped,
                            severity: served.factors.first { $0.name == "severity" }?.value ?? 0, truth: truth))
                }
                state.pending[id] = Pending(alert: alert, assessment: assessment, firedAt: now)
                tenants[tenant] = state
            case .acknowledged(let id, let tenant):
                guard var pending = tenants[tenant]?.pending[id], pending.latency == nil else { continue }
                let latency = now.timeIntervalSince(pending.firedAt)
                pending.latency = latency
                tenants[tenant]!.pending[id] = pending
                let group = pending.alert.responseGroup
                tenants[tenant]!.history[group] = (tenants[tenant]!.history[group] ?? ResponseHistory(updatedAt: now))
                    .recording(latency: latency, at: now, policy: policy)
            case .feedback(let id, let tenant, let kind):
                guard var pending = tenants[tenant]?.pending[id] else { continue }
                pending.feedback = kind
                let source = pending.alert.source
                tenants[tenant]!.reliability[source] = (tenants[tenant]!.reliability[source] ?? SourceReliability(updatedAt: now))
                    .recording(kind, at: now, halfLife: policy.historyHalfLife)
                tenants[tenant]!.pending[id] = pending
                learn(&tenants[tenant]!, id, at: now)
            case .resolved(let id, let tenant):
                guard var pending = tenants[tenant]?.pending[id], pending.resolvedAt == nil else { continue }
                pending.resolvedAt = now
                tenants[tenant]!.pending[id] = pending
                if pending.latency == nil {
                    let group = pending.alert.responseGroup
                    tenants[tenant]!.history[group] = (tenants[tenant]!.history[group] ?? ResponseHistory(updatedAt: now))
                        .recordingMiss(at: now, policy: policy)
                }
            case .silenced(let id, let tenant):
                tenants[tenant]?.pending[id]?.silenced = true
            }
        }
        if let last = events.last?.0 {
            for name in tenants.keys { settle(&tenants[name]!, before: last.addingTimeInterval(feedbackGrace + 1)) }
        }
        return (scored, tenants.mapValues(\.model))
    }

    /// Learns from every pending alert that resolved longer than `feedbackGrace` ago.
    private func settle(_ state: inout TenantState, before now: Date) {
        let due = state.pending.filter { $0.value.resolvedAt.map { now.timeIntervalSince($0) > feedbackGrace } ?? false }
        for (id, pending) in due.sorted(by: { ($0.value.resolvedAt!, $0.key) < ($1.value.resolvedAt!, $1.key) }) {
            learn(&state, id, at: pending.resolvedAt!.addingTimeInterval(feedbackGrace))
        }
    }

    private func learn(_ state: inout TenantState, _ id: String, at now: Date) {
        guard let pending = state.pending.removeValue(forKey: id) else { return }
        let outcome = AlertOutcome(
            feedback: pending.feedback, silenced: pending.silenced, acknowledgementLatency: pending.latency,
            responseTarget: policy.responseTarget)
        state.model.learn(outcome, of: pending.alert, assessment: pending.assessment, at: now)
    }
}
