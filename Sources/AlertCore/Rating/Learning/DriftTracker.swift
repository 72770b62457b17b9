import Foundation

/// A source's recent prediction error against its own baseline: when the recent log loss
/// jumps above the baseline by `margin`, the source's behaviour changed.
public struct DriftTracker: Sendable, Codable, Equatable {
    /// Exponentially weighted mean log loss of the last ~20 outcomes.
    public var recent = 0.0
    /// The same over the last ~200.
    public var baseline = 0.0
    public var outcomes = 0

    static let recentRate = 0.1
    static let baselineRate = 0.01
    static let margin = 0.3
    static let warmUp = 40

    public init() {}

    /// Adds one outcome's loss; true when it reveals drift.
    mutating func record(loss: Double) -> Bool {
        if outcomes == 0 {
            recent = loss
            baseline = loss
        } else {
            recent += Self.recentRate * (loss - recent)
            baseline += Self.baselineRate * (loss - baseline)
        }
        outcomes += 1
        return outcomes >= Self.warmUp && recent - baseline > Self.margin
    }

    /// Starts over from the recent level after drift was handled.
    mutating func reset() {
        baseline = recent
        outcomes = Self.warmUp / 2
    }
}

/// A source whose outcomes stopped matching what the model learned from it.
public struct DriftEvent: Sendable, Codable, Equatable {
    public var source: String
    public var at: Date
    public var recentLoss: Double
    public var baselineLoss: Double
}
