import AlertCore
import Foundation
import HTTPCore
import Hummingbird

extension AlertRoutes {
    /// `GET /v1/rating/model`: what the tenant's learned rating has learned: its weights, how
    /// well its predictions matched outcomes, each source's rate and error, and drift events.
    @Sendable func ratingModel(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsRead, Scope.tenantAdmin)
        let config = try tenant(identity)
        let model = try await readStore(identity) { try await $0.ratingModel() }
        return JSONBody(value: RatingModelView(model, policy: config.rating, at: now()))
    }
}

/// The learned model as `GET /v1/rating/model` shows it.
struct RatingModelView: Encodable {
    struct Source: Encodable {
        var source: String
        var actionable: Double
        var noise: Double
        /// The source's actionable rate, shrunk towards the tenant's.
        var rate: Double
        var recentLoss: Double?
        var baselineLoss: Double?
    }

    struct Bucket: Encodable {
        var from: Double
        var to: Double
        /// The mean predicted probability of the outcomes in the bucket.
        var predicted: Double?
        /// The share of them that was actionable.
        var actionable: Double?
        var outcomes: Double
    }

    var mode: RatingMode.RawValue
    var outcomes: Int
    /// The tenant's actionable rate.
    var baseRate: Double
    /// How much of a score the learned probability makes up now.
    var handover: Double
    var weights: [String: Double]
    var calibration: [Bucket]
    var sources: [Source]
    var driftEvents: [DriftEvent]

    init(_ stored: ActionabilityModel?, policy: RatingPolicy, at now: Date) {
        var model = stored ?? ActionabilityModel()
        model.adopt(policy)
        let tenant = (model.counts["tenant"] ?? OutcomeCounts(updatedAt: now)).decayed(to: now, halfLife: model.settings.halfLife)
        mode = policy.mode.rawValue
        outcomes = model.outcomes
        baseRate = tenant.rate(shrunkTowards: 0.5, strength: 2)
        handover = tenant.total / (tenant.total + RatingEngine.handoverOutcomes)
        weights = model.weights
        calibration = model.calibration.enumerated().map { index, bucket in
            Bucket(
                from: Double(index) / 10, to: Double(index + 1) / 10, predicted: bucket.weight > 0 ? bucket.predicted / bucket.weight : nil,
                actionable: bucket.weight > 0 ? bucket.actionable / bucket.weight : nil, outcomes: bucket.weight)
        }
        let base = baseRate
        sources = model.counts.keys.filter { $0.hasPrefix("source:") }.sorted().map { key in
            let name = String(key.dropFirst("source:".count))
            let counts = model.counts[key]!.decayed(to: now, halfLife: model.settings.halfLife)
            return Source(
                source: name, actionable: counts.actionable, noise: counts.noise,
                rate: counts.rate(shrunkTowards: base, strength: model.settings.shrinkage), recentLoss: model.drift[name]?.recent,
                baselineLoss: model.drift[name]?.baseline)
        }
        driftEvents = model.driftEvents
    }
}
