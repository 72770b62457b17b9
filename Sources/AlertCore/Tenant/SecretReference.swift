import Foundation

/// Where a secret lives: never in the tenant file itself.
public enum SecretReference: Sendable, Equatable, CustomStringConvertible {
    /// `env:NAME`: an environment variable of the alertd process.
    case environment(String)
    /// `file:PATH`: a file, e.g. a mounted Kubernetes secret; surrounding whitespace is trimmed.
    case file(String)

    /// Parses `env:NAME` or `file:PATH`; nil for anything else.
    public init?(_ text: String) {
        if text.hasPrefix("env:") {
            let name = String(text.dropFirst(4))
            guard let first = name.first, first.isLetter || first == "_",
                name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") })
            else { return nil }
            self = .environment(name)
        } else if text.hasPrefix("file:") {
            let path = String(text.dropFirst(5))
            guard path.hasPrefix("/") || path.hasPrefix("./") || path.hasPrefix("../") || !path.isEmpty else { return nil }
            self = .file(path)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .environment(let name): "env:\(name)"
        case .file(let path): "file:\(path)"
        }
    }
}
