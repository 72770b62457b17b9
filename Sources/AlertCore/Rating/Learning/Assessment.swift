import Foundation

/// The learned model's estimate for one alert: the tenant's base rate and each feature's part
/// in log-odds, which together are the probability the alert is actionable.
public struct Assessment: Sendable, Codable, Equatable {
    public struct Feature: Sendable, Codable, Equatable {
        /// `source`, `rule`, `tier`, `service`, `severity`, `label:NAME`, `flapping` or `storm`.
        public var name: String
        /// The level or signal it was read from.
        public var key: String
        /// The feature's value in log-odds: a level's departure from its parent's rate, or
        /// `log(1 + n)` of a count.
        public var input: Double
        /// A level's actionable rate; nil for the count signals.
        public var rate: Double?
        public var weight: Double
        /// What the feature adds to the score, in log-odds: `weight × input`.
        public var contribution: Double
        /// The feature's part of everything the features add, by magnitude, in [0, 1].
        public var share: Double = 0
        public var detail: String

        init(name: String, key: String, input: Double, rate: Double?, weight: Double, detail: String) {
            self.name = name
            self.key = key
            self.input = input
            self.rate = rate
            self.weight = weight
            contribution = weight * input
            self.detail = detail
        }
    }

    /// The tenant's actionable rate in log-odds.
    public var base: Double
    public var baseRate: Double
    public var features: [Feature]

    /// P(actionable).
    public var probability: Double

    init(base: Double, baseRate: Double, features: [Feature]) {
        self.base = base
        self.baseRate = baseRate
        let total = features.reduce(0) { $0 + abs($1.contribution) }
        self.features = features.map { feature in
            var feature = feature
            feature.share = total > 0 ? abs(feature.contribution) / total : 0
            return feature
        }
        probability = sigmoid(base + features.reduce(0) { $0 + $1.contribution })
    }
}
