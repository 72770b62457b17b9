import AlertCore
import Foundation

/// Reads `env:NAME` and `file:PATH` secrets at delivery time, so a rotated secret is used
/// without a restart.
public struct SecretResolver: Sendable {
    private let environment: [String: String]

    /// Resolves against `environment`, the process environment by default.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func resolve(_ reference: SecretReference) throws(DeliveryFailure) -> String {
        switch reference {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw DeliveryFailure(retryable: true, message: "secret \(reference) is not set")
            }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw DeliveryFailure(retryable: true, message: "secret \(reference) cannot be read")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// A setting that is either a secret reference or a plain value.
    func value(_ text: String) throws(DeliveryFailure) -> String {
        guard let reference = SecretReference(text) else { return text }
        return try resolve(reference)
    }
}

/// A resolver describes itself without the values it holds, so no log line that prints a
/// service (service-lifecycle logs them at debug level) can carry a secret.
extension SecretResolver: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "SecretResolver(\(environment.count) variables)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
