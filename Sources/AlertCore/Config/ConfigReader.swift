import Foundation

/// Reads a JSON tree field by field, collecting every problem with its path instead of
/// stopping at the first one.
struct ConfigReader {
    let file: String?
    private(set) var problems: [ConfigProblem] = []

    init(file: String?) {
        self.file = file
    }

    mutating func report(_ path: String, _ reason: String) {
        problems.append(ConfigProblem(file: file, path: path, reason: reason))
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The object at `path`, reporting unknown keys.
    mutating func object(_ value: JSONValue?, at path: String, allowed: Set<String>) -> [String: JSONValue]? {
        guard let value else { return nil }
        guard case .object(let object) = value else {
            report(path, "must be an object, not \(value.typeName)")
            return nil
        }
        for key in object.keys.sorted() where !allowed.contains(key) {
            report(Self.join(path, key), "is not a known field")
        }
        return object
    }

    mutating func array(_ value: JSONValue?, at path: String) -> [JSONValue]? {
        guard let value else { return nil }
        guard case .array(let items) = value else {
            report(path, "must be a list, not \(value.typeName)")
            return nil
        }
        return items
    }

    mutating func string(_ value: JSONValue?, at path: String, required: Bool = false) -> String? {
        guard let value else {
            if required { report(path, "is required") }
            return nil
        }
        guard case .string(let text) = value else {
            report(path, "must be a string, not \(value.typeName)")
            return nil
        }
        return text
    }

    mutating func strings(_ value: JSONValue?, at path: String) -> [String]? {
        guard let items = array(value, at: path) else { return nil }
        return items.enumerated().compactMap { index, item in string(item, at: "\(path)[\(index)]") }
    }

    mutating func bool(_ value: JSONValue?, at path: String) -> Bool? {
        guard let value else { return nil }
        guard case .bool(let flag) = value else {
            report(path, "must be true or false, not \(value.typeName)")
            return nil
        }
        return flag
    }

    mutating func number(_ value: JSONValue?, at path: String, in range: ClosedRange<Double>) -> Double? {
        guard let value else { return nil }
        guard case .number(let number) = value else {
            report(path, "must be a number, not \(value.typeName)")
            return nil
        }
        guard range.contains(number) else {
            report(path, "must be between \(range.lowerBound.compactText) and \(range.upperBound.compactText), not \(number.compactText)")
            return nil
        }
        return number
    }

    mutating func integer(_ value: JSONValue?, at path: String, atLeast minimum: Int) -> Int? {
        guard let number = number(value, at: path, in: Double(minimum)...Double(Int32.max)) else { return nil }
        guard number.rounded() == number else {
            report(path, "must be a whole number, not \(number.compactText)")
            return nil
        }
        return Int(number)
    }

    mutating func duration(_ value: JSONValue?, at path: String) -> TimeInterval? {
        guard let text = string(value, at: path) else { return nil }
        guard let seconds = DurationText.seconds(text) else {
            report(path, "\"\(text)\" is not a duration such as 30s, 5m, 4h or 7d")
            return nil
        }
        return seconds
    }
}

extension Double {
    /// `1` rather than `1.0`, `0.75` as is.
    public var compactText: String { rounded() == self && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}
