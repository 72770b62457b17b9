import Foundation

/// A matcher in Alertmanager's structured form (API v2 `matcher`).
public struct AlertmanagerMatcher: Sendable, Codable, Equatable {
    public var name: String
    public var value: String
    public var isRegex: Bool
    /// False for `!=` and `!~`; Alertmanager's default is true.
    public var isEqual: Bool

    public init(name: String, value: String, isRegex: Bool, isEqual: Bool = true) {
        self.name = name
        self.value = value
        self.isRegex = isRegex
        self.isEqual = isEqual
    }

    /// The matcher in alertd's text form, `name op "value"`.
    public var text: String {
        let op = isRegex ? (isEqual ? "=~" : "!~") : (isEqual ? "=" : "!=")
        return "\(name)\(op)\(Matcher.quote(value))"
    }
}

extension Matcher {
    /// Parses Alertmanager's structured form; `score` and `priority` stay alertd's rating matchers.
    public init(_ matcher: AlertmanagerMatcher) throws(ConfigProblem) {
        try self.init(parsing: matcher.text)
    }

    /// This matcher in Alertmanager's structured form. A rating comparison, which Alertmanager
    /// does not have, keeps its operator in the value (`score`, `>=0.8`).
    public var alertmanagerForm: AlertmanagerMatcher {
        switch test {
        case .label(let name, let op, let value, _):
            return AlertmanagerMatcher(
                name: name, value: value, isRegex: op == .matchesRegex || op == .notMatchesRegex,
                isEqual: op == .equal || op == .matchesRegex)
        case .score(let comparison, let bound):
            return AlertmanagerMatcher(name: "score", value: "\(comparison.rawValue)\(bound)", isRegex: false)
        case .priority(let comparison, let rank):
            return AlertmanagerMatcher(name: "priority", value: "\(comparison.rawValue)P\(rank)", isRegex: false)
        }
    }

    /// Whether this is one of alertd's rating matchers rather than a label matcher.
    public var isRatingMatcher: Bool {
        if case .label = test { return false }
        return true
    }
}
