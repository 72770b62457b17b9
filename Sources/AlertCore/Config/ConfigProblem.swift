import Foundation

/// One thing wrong with an input document: where and why.
public struct ConfigProblem: Sendable, Equatable, CustomStringConvertible, Error {
    /// The file the problem is in, when it came from a file.
    public var file: String?
    /// Field path such as `routes.routes[0].receiver`.
    public var path: String
    public var reason: String

    public init(file: String? = nil, path: String, reason: String) {
        self.file = file
        self.path = path
        self.reason = reason
    }

    public var description: String {
        [file, path.isEmpty ? "(document)" : path, reason].compactMap { $0 }.joined(separator: ": ")
    }
}

/// Several problems found in one pass.
public struct ConfigProblems: Error, Sendable, CustomStringConvertible {
    public var problems: [ConfigProblem]

    public init(_ problems: [ConfigProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
