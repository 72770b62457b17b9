import Foundation

/// One route or silence matcher: a label matcher (`=`, `!=`, `=~`, `!~`, regexes anchored as in
/// Alertmanager) or one of alertd's rating matchers (`score >= 0.8`, `priority <= P2`).
///
/// The names `score` and `priority` always refer to the alert's rating, never to labels.
public struct Matcher: Sendable, CustomStringConvertible {
    public enum LabelOperator: String, Sendable {
        case equal = "="
        case notEqual = "!="
        case matchesRegex = "=~"
        case notMatchesRegex = "!~"
    }

    public enum Comparison: String, Sendable, CaseIterable {
        case atLeast = ">="
        case atMost = "<="
        case greater = ">"
        case less = "<"
        case equal = "="
        case notEqual = "!="

        func holds<T: Comparable>(_ lhs: T, _ rhs: T) -> Bool {
            switch self {
            case .atLeast: lhs >= rhs
            case .atMost: lhs <= rhs
            case .greater: lhs > rhs
            case .less: lhs < rhs
            case .equal: lhs == rhs
            case .notEqual: lhs != rhs
            }
        }
    }

    enum Test: @unchecked Sendable {
        case label(name: String, op: LabelOperator, value: String, regex: NSRegularExpression?)
        case score(Comparison, Double)
        /// Compares priority ranks: `priority <= P2` holds for P1 and P2.
        case priority(Comparison, Int)
    }

    let test: Test
    public let description: String

    /// Parses `name op value`; the value may be double-quoted.
    public init(parsing text: String) throws(ConfigProblem) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let nameEnd = trimmed.firstIndex(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) }),
            nameEnd > trimmed.startIndex, !(trimmed.first!.isNumber)
        else { throw ConfigProblem(path: "", reason: "matcher \"\(text)\" needs the form name=value, name!=value, name=~regex or name!~regex") }
        let name = String(trimmed[..<nameEnd])
        let rest = trimmed[nameEnd...].drop { $0 == " " }
        let operators = ["=~", "!~", "!=", ">=", "<=", "=", ">", "<"]
        guard let op = operators.first(where: { rest.hasPrefix($0) }) else {
            throw ConfigProblem(path: "", reason: "matcher \"\(text)\" has no operator (=, !=, =~, !~)")
        }
        let value = try Self.unquote(String(rest.dropFirst(op.count)).trimmingCharacters(in: .whitespaces), in: text)
        description = "\(name)\(op)\(Self.quote(value))"

        switch name {
        case "score":
            guard let comparison = Comparison(rawValue: op), let number = Double(value), (0...1).contains(number) else {
                throw ConfigProblem(path: "", reason: "matcher \"\(text)\": score takes >=, >, <=, <, =, != and a number in [0, 1]")
            }
            test = .score(comparison, number)
        case "priority":
            guard let comparison = Comparison(rawValue: op), let priority = Priority(rawValue: value.uppercased()) else {
                throw ConfigProblem(path: "", reason: "matcher \"\(text)\": priority takes >=, >, <=, <, =, != and P1…P5")
            }
            test = .priority(comparison, priority.rank)
        default:
            guard let labelOp = LabelOperator(rawValue: op) else {
                throw ConfigProblem(path: "", reason: "matcher \"\(text)\": labels take =, !=, =~ or !~")
            }
            var regex: NSRegularExpression?
            if labelOp == .matchesRegex || labelOp == .notMatchesRegex {
                do {
                    regex = try NSRegularExpression(pattern: "^(?:\(value))$")
                } catch {
                    throw ConfigProblem(path: "", reason: "matcher \"\(text)\": the regex does not compile")
                }
            }
            test = .label(name: name, op: labelOp, value: value, regex: regex)
        }
    }

    /// `value` double-quoted, with `\\`, `"` and newlines escaped as `unquote` reads them.
    static func quote(_ value: String) -> String {
        var result = "\""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result + "\""
    }

    private static func unquote(_ raw: String, in text: String) throws(ConfigProblem) -> String {
        guard raw.hasPrefix("\"") else {
            if let first = raw.first, "=~!<>".contains(first) {
                throw ConfigProblem(path: "", reason: "matcher \"\(text)\" has a second operator where its value should be")
            }
            return raw
        }
        guard raw.count >= 2, raw.hasSuffix("\"") else {
            throw ConfigProblem(path: "", reason: "matcher \"\(text)\" has an unterminated quoted value")
        }
        var result = ""
        var escaping = false
        for character in raw.dropFirst().dropLast() {
            if escaping {
                result.append(character == "n" ? "\n" : character)
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }

    /// Whether the alert's labels and rating satisfy this matcher. A missing label is the empty string.
    public func matches(labels: [String: String], rating: Rating?) -> Bool {
        switch test {
        case .label(let name, let op, let value, let regex):
            let actual = labels[name] ?? ""
            switch op {
            case .equal: return actual == value
            case .notEqual: return actual != value
            case .matchesRegex, .notMatchesRegex:
                let range = NSRange(actual.startIndex..., in: actual)
                let found = regex!.firstMatch(in: actual, range: range) != nil
                return op == .matchesRegex ? found : !found
            }
        case .score(let comparison, let bound):
            guard let rating else { return false }
            return comparison.holds(rating.score, bound)
        case .priority(let comparison, let rank):
            guard let rating else { return false }
            return comparison.holds(rating.priority.rank, rank)
        }
    }
}

extension Array where Element == Matcher {
    /// All matchers hold (an empty list matches everything).
    public func matchAll(labels: [String: String], rating: Rating?) -> Bool {
        allSatisfy { $0.matches(labels: labels, rating: rating) }
    }
}
