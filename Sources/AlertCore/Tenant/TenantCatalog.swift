import Foundation

/// The tenants alertd currently serves. Readers always see one consistent snapshot; a reload
/// swaps the whole set at once.
public final class TenantCatalog: @unchecked Sendable {
    private let lock = NSLock()
    private var tenants: [TenantID: TenantConfig]

    public init(_ tenants: [TenantConfig]) {
        self.tenants = Dictionary(tenants.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
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
        lock.withLock { self.tenants = next }
    }
}
