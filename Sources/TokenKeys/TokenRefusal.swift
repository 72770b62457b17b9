/// Why a tenant's key set did not verify a token.
public struct TokenRefusal: Error, Sendable, Equatable {
    public enum Code: Sendable {
        /// The header names no `kid`, or one the set does not hold.
        case unknownKey
        /// The header's `alg` is not the algorithm of the key its `kid` names.
        case algorithmNotAccepted
        /// The key does not verify the signature.
        case signatureInvalid
    }

    public let code: Code

    public init(_ code: Code) {
        self.code = code
    }
}
