/// Why a tenant's key set did not verify a token.
public struct TokenRefusal: Error, Sendable, Equatable {
    public enum Code: String, Sendable {
        /// The header names no `kid`, or one the set does not hold.
        case unknownKey = "unknown_key"
        /// The header's `alg` is not the algorithm of the key its `kid` names.
        case algorithmNotAccepted = "algorithm_not_accepted"
        /// The key does not verify the signature.
        case signatureInvalid = "signature_invalid"
    }

    public var code: Code

    public init(_ code: Code) {
        self.code = code
    }
}
