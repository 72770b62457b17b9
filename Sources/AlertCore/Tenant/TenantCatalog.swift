import Foundation

/// The tenants alertd currently serves. Readers always see one consistent snapshot; a reload
/// swaps the whole set at once.
public final class TenantCatalog: @unchecked Sendable {
    private let lock = NSLock()
    private var tenants: [TenantID: TenantConfig]
    private var integrationKeys: [String: (tenant: TenantID, key: IntegrationKey)]

    public init(_ tenants: [TenantConfig]) {
        self.tenants = Dictionary(tenants.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        integrationKeys = Self.index(tenants)
    }

    /// The tenant whose integration key has SHA-256 `sha256` (lowercase hex), with that key.
    public func integrationKey(sha256: String) -> (tenant: TenantID, key: IntegrationKey)? {
        lock.withLock { integrationKeys[sha256] }
    }

    public subscript(id: TenantID) -> TenantConfig? {
        lock.withLock { tenants[id] }
    }

    /// Every tenant, by id.
    public var all: [TenantConfig] {
        lock.withLock { tenants.values.sorted { $0.id < $1.id } }
    }

    /// Replaces every tenant at once.
    public func replace(with tenants: [TenantConfig]) {
        let next = Dictionary(tenants.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let keys = Self.index(tenants)
        lock.withLock {
            self.tenants = next
            integrationKeys = keys
        }
    }

    /// Integration keys by hash; a hash two tenants list (which loading refuses) is nobody's.
    private static func index(_ tenants: [TenantConfig]) -> [String: (tenant: TenantID, key: IntegrationKey)] {
        let all = tenants.flatMap { tenant in tenant.auth.integrationKeys.map { (hash: $0.sha256, entry: (tenant: tenant.id, key: $0)) } }
        let counts = Dictionary(all.map { ($0.hash, 1) }, uniquingKeysWith: +)
        return Dictionary(all.filter { counts[$0.hash] == 1 }.map { ($0.hash, $0.entry) }, uniquingKeysWith: { first, _ in first })
    }
}
