import Foundation
import HTTPCore

/// Turns a bearer token into the identity it proves: a tenant's own token (`TokenVerifier`)
/// at the public door, or the gateway's internal token (`InternalTokenVerifier`) behind it.
public protocol IdentityVerifier: Sendable {
    func verify(_ token: String, now: Date) async throws(Problem) -> TenantIdentity
}

extension TokenVerifier: IdentityVerifier {}
