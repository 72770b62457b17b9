/// A store failure with a stable code.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case openFailed = "open_failed"
        case migrationFailed = "migration_failed"
        case corruptRow = "corrupt_row"
        case unavailable = "unavailable"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
