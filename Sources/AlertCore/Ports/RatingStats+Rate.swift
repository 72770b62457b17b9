import Foundation

extension RatingStats {
    /// Rates `alerts` with this tenant's feedback, response history and learned model under
    /// `policy`; `explaining` keeps the learned features (for `POST /v1/rate`).
    public func rate(_ alerts: [Alert], policy: RatingPolicy, at now: Date, explaining: Bool = false) async throws -> [RatedAlert] {
        let inputs = try await ratingInputs(sources: Set(alerts.map(\.source)), groups: Set(alerts.map(\.responseGroup)))
        let engine = RatingEngine(policy: policy)
        return alerts.map { alert in
            RatedAlert(
                alert: alert, status: alert.status(at: now),
                rating: engine.rate(
                    alert, reliability: inputs.reliability[alert.source], history: inputs.history[alert.responseGroup], model: inputs.model,
                    at: now, explaining: explaining))
        }
    }
}
