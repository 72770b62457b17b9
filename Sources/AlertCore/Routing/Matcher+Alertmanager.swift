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
    /// Parses Alertmanager's structured form; `score` and `priority` stay alertd's rating
    /// matchers, and take back the form `alertmanagerForm` gives them (`score`, `>=0.8`).
    public init(_ matcher: AlertmanagerMatcher) throws(ConfigProblem) {
        guard let first = matcher.name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic),
            matcher.name.unicodeScalars.allSatisfy({ $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) })
        else {
            throw ConfigProblem(path: "", reason: "a label name is letters, digits and _, not starting with a digit: \"\(matcher.name)\"")
        }
        if ["score", "priority"].contains(matcher.name), !matcher.isRegex, matcher.isEqual,
            Comparison.allCases.contains(where: { matcher.value.hasPrefix($0.rawValue) })
        {
            try self.init(parsing: matcher.name + matcher.value)
        } else {
            try self.init(parsing: matcher.text)
        }
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
