import Foundation

/// How urgent a rated alert is: P1 (act now) to P5 (informational).
public enum Priority: String, Sendable, Codable, CaseIterable, Comparable {
    case p1 = "P1"
    case p2 = "P2"
    case p3 = "P3"
    case p4 = "P4"
    case p5 = "P5"

    /// 1 for P1 … 5 for P5.
    public var rank: Int { Priority.allCases.firstIndex(of: self)! + 1 }

    /// P1 sorts first: `.p1 < .p2`.
    public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs.rank < rhs.rank }

    /// Bands relative to the tenant's threshold `t`: P1 ≥ t, P2 ≥ 0.8t, P3 ≥ 0.6t, P4 ≥ 0.35t, else P5.
    /// Scores are compared with a tolerance of 1e-9, so a score that equals a band's lower
    /// edge up to rounding lands in that band.
    public init(score: Double, threshold: Double) {
        switch score + 1e-9 {
        case threshold...: self = .p1
        case (0.8 * threshold)...: self = .p2
        case (0.6 * threshold)...: self = .p3
        case (0.35 * threshold)...: self = .p4
        default: self = .p5
        }
    }
}
