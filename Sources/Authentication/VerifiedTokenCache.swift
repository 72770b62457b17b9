import Crypto
import Foundation
import HTTPCore
import Synchronization

/// Identities of tokens verified before, keyed by the SHA-256 of the token (never the token
/// itself), each kept until its token's `exp`. Bounded: when full, expired entries go, and if
/// that is not enough the cache starts over.
final class VerifiedTokenCache: Sendable {
    struct Entry: Sendable {
        var identity: TenantIdentity
        var expiresAt: Date
    }

    let capacity: Int
    private let entries = Mutex<[SHA256Digest: Entry]>([:])

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    func identity(for token: String, at now: Date) -> TenantIdentity? {
        let key = SHA256.hash(data: Data(token.utf8))
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard now < entry.expiresAt else {
                entries[key] = nil
                return nil
            }
            return entry.identity
        }
    }

    func insert(_ identity: TenantIdentity, for token: String, expiresAt: Date, at now: Date) {
        let key = SHA256.hash(data: Data(token.utf8))
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { now < $0.value.expiresAt }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[key] = Entry(identity: identity, expiresAt: expiresAt)
        }
    }

    func removeAll() {
        entries.withLock { $0.removeAll() }
    }

    var count: Int { entries.withLock { $0.count } }
}
