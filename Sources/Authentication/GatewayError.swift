/// A gateway setup failure with a stable code.
public struct GatewayError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case devKeyMissing = "dev_key_missing"
        case invalidKeys = "invalid_keys"
        case internalKeyInvalid = "internal_key_invalid"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
