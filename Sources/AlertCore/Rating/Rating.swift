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
    /// In [0, 1]: the weighted mean of the factors, or in learned mode that mean handed over
    /// to the learned probability (`learned`).
    public var score: Double
    public var priority: Priority
    /// `score >= threshold`.
    public var urgent: Bool
    /// The fixed weights' factors.
    public var factors: [RatingFactor]
    /// In learned mode: the learned model's estimate, explained, and its share of the score.
    public var learned: LearnedRating?

    public init(score: Double, priority: Priority, urgent: Bool, factors: [RatingFactor], learned: LearnedRating? = nil) {
        self.score = score
        self.priority = priority
        self.urgent = urgent
        self.factors = factors
        self.learned = learned
    }

    /// The factors, largest contribution first.
    public var topFactors: [RatingFactor] { factors.sorted { $0.contribution > $1.contribution } }
}

/// The learned part of a rating: `score = handover × probability + (1 − handover) × the fixed
/// weights' score`, where `handover = n / (n + 50)` for the tenant's `n` (decayed) outcomes, so
/// a new tenant starts from the fixed weights and an established one is rated by what it learned.
public struct LearnedRating: Sendable, Codable, Equatable {
    public var probability: Double
    public var handover: Double
    /// Each feature's part; not kept when the rating is stored (`CodingUserInfoKey.storedRating`),
    /// which keeps every alert row, ledger event and notification small.
    public var assessment: Assessment?

    enum CodingKeys: String, CodingKey {
        case probability, handover, assessment
    }

    public init(probability: Double, handover: Double, assessment: Assessment?) {
        self.probability = probability
        self.handover = handover
        self.assessment = assessment
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(probability, forKey: .probability)
        try container.encode(handover, forKey: .handover)
        if encoder.userInfo[.storedRating] as? Bool != true { try container.encodeIfPresent(assessment, forKey: .assessment) }
    }
}

extension CodingUserInfoKey {
    /// Set on the encoder of a store: ratings are written without the learned features.
    public static let storedRating = CodingUserInfoKey(rawValue: "alertd.storedRating")!
}
