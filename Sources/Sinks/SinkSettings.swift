import AlertCore
import Foundation

/// Shared checks for reading sink settings.
enum SinkSettings {
    static func object(_ settings: JSONValue, at path: String, allowed: Set<String>, required: [String]) -> (
        [String: JSONValue], [ConfigProblem]
    ) {
        guard case .object(let object) = settings else {
            return ([:], [ConfigProblem(path: path, reason: "must be an object, not \(settings.typeName)")])
        }
        var problems: [ConfigProblem] = []
        for key in object.keys.sorted() where !allowed.contains(key) {
            problems.append(ConfigProblem(path: "\(path).\(key)", reason: "is not a known field"))
        }
        for key in required where object[key] == nil {
            problems.append(ConfigProblem(path: "\(path).\(key)", reason: "is required"))
        }
        return (object, problems)
    }

    /// A value that must be `env:NAME` or `file:PATH`.
    static func secretProblems(_ value: JSONValue?, at path: String) -> [ConfigProblem] {
        guard let value else { return [] }
        guard case .string(let text) = value else { return [ConfigProblem(path: path, reason: "must be a string")] }
        return SecretReference(text) == nil
            ? [ConfigProblem(path: path, reason: "must be a secret reference (env:NAME or file:PATH), never the secret itself")]
            : []
    }

    /// A value that is an http(s) URL or a secret reference.
    static func urlProblems(_ value: JSONValue?, at path: String) -> [ConfigProblem] {
        guard let value else { return [] }
        guard case .string(let text) = value else { return [ConfigProblem(path: path, reason: "must be a string")] }
        if SecretReference(text) != nil { return [] }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
            return [ConfigProblem(path: path, reason: "\"\(text)\" must be an http(s) URL or a secret reference")]
        }
        return []
    }

    static func boolProblems(_ value: JSONValue?, at path: String) -> [ConfigProblem] {
        guard let value else { return [] }
        if case .bool = value { return [] }
        return [ConfigProblem(path: path, reason: "must be true or false")]
    }

    /// `send_resolved`, true unless set to false.
    static func sendResolved(_ object: [String: JSONValue]) -> Bool {
        if case .bool(let flag)? = object["send_resolved"] { return flag }
        return true
    }

    /// The settings `make` builds from checked fields, or the problems found.
    static func read<Settings>(_ problems: [ConfigProblem], _ make: () -> Settings) -> Result<Settings, ConfigProblems> {
        problems.isEmpty ? .success(make()) : .failure(ConfigProblems(problems))
    }

    static let encoder = RFC3339.jsonEncoder()
}
