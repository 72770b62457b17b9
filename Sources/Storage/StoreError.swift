/// A store failure with a stable code.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case openFailed = "open_failed"
        case migrationFailed = "migration_failed"
        case corruptRow = "corrupt_row"
        case unavailable = "unavailable"
        /// The database rolled a transaction back where it was to commit it.
        case rolledBack = "rolled_back"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
