import Foundation

/// One factor's part in a score, returned with every rating so a score can be explained.
public struct RatingFactor: Sendable, Codable, Equatable {
    /// `severity`, `reliability` or `history`.
    public var name: String
    /// The factor in [0, 1].
    public var value: Double
    /// The factor's normalised weight; the weights of a rating sum to 1.
    public var weight: Double
    /// `value × weight`: what the factor added to the score.
    public var contribution: Double
    /// Why the factor has this value, in words.
    public var detail: String

    public init(name: String, value: Double, weight: Double, contribution: Double, detail: String) {
        self.name = name
        self.value = value
        self.weight = weight
        self.contribution = contribution
        self.detail = detail
    }
}

/// How urgent an alert really is.
public struct Rating: Sendable, Codable, Equatable {
    /// The weighted mean of the factors, in [0, 1].
    public var score: Double
    public var priority: Priority
    /// `score >= threshold`.
    public var urgent: Bool
    public var factors: [RatingFactor]

    public init(score: Double, priority: Priority, urgent: Bool, factors: [RatingFactor]) {
        self.score = score
        self.priority = priority
        self.urgent = urgent
        self.factors = factors
    }

    /// The factors, largest contribution first.
    public var topFactors: [RatingFactor] { factors.sorted { $0.contribution > $1.contribution } }
}
