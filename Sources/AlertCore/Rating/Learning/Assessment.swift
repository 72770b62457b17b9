import Foundation

/// The learned model's estimate for one alert: the tenant's base rate and each feature's part
/// in log-odds, which together are the probability the alert is actionable.
public struct Assessment: Sendable, Codable, Equatable {
    public struct Feature: Sendable, Codable, Equatable {
        /// `source`, `rule`, `service`, `severity`, `label`, `flapping` or `storm`.
        public var name: String
        /// The level or signal it was read from.
        public var key: String
        /// The feature's value in log-odds: a level's departure from its parent's rate, or
        /// `log(1 + n)` of a count.
        public var input: Double
        /// A level's actionable rate; nil for the count signals.
        public var rate: Double?
        public var weight: Double
        public var detail: String

        /// What the feature adds to the score, in log-odds.
        public var contribution: Double { weight * input }
    }

    /// The tenant's actionable rate in log-odds.
    public var base: Double
    public var baseRate: Double
    public var features: [Feature]

    /// P(actionable).
    public var probability: Double { sigmoid(base + features.reduce(0) { $0 + $1.contribution }) }
}
