import Foundation

/// How a tenant's alerts are scored.
public enum RatingMode: String, Sendable, Equatable, CaseIterable {
    /// The tenant's learned P(actionable) (`ActionabilityModel`), handed over from the fixed
    /// weights as the tenant's outcomes accumulate.
    case learned
    /// The weighted mean of severity, source reliability and response history.
    case fixed
}

/// A tenant's rating settings (`rating:` in tenant.yaml).
public struct RatingPolicy: Sendable, Equatable {
    public var mode: RatingMode = .learned
    /// Labels whose values the learned model rates on their own.
    public var informativeLabels: [String] = ["service", "team", "env"]
    public var severityWeight: Double = 0.5
    public var reliabilityWeight: Double = 0.25
    public var historyWeight: Double = 0.25
    /// Severity label value (lowercased) → factor.
    public var severityMap: [String: Double] = RatingPolicy.defaultSeverityMap
    public var unknownSeverity: Double = 0.3
    /// Scores at or above it are P1 and `urgent`.
    public var threshold: Double = 0.75
    /// After this long, feedback and response history count half.
    public var historyHalfLife: TimeInterval = 7 * 86_400
    /// An acknowledgement this fast maps to a response factor of 0.5 for that ack; faster is higher.
    public var responseTarget: TimeInterval = 15 * 60

    public static let defaultSeverityMap: [String: Double] = [
        "critical": 1.0, "error": 0.8, "high": 0.8, "warning": 0.5, "info": 0.2,
    ]

    public init() {}
}
