import AlertCore

/// Opens each tenant's store once, even when several callers ask at the same time; a failed
/// opening is retried on the next call. Remembers how each tenant's last opening ended, for
/// readiness checks that must not open a store themselves.
actor StoreCache<Store: TenantStore> {
    private var stores: [TenantID: Task<Store, any Error>] = [:]
    private var outcomes: [TenantID: Result<Store, any Error>] = [:]

    func store(for tenant: TenantID, open: @escaping @Sendable () async throws -> Store) async throws -> Store {
        if let opening = stores[tenant] { return try await opening.value }
        let opening = Task { try await open() }
        stores[tenant] = opening
        do {
            let store = try await opening.value
            outcomes[tenant] = .success(store)
            return store
        } catch {
            stores[tenant] = nil
            outcomes[tenant] = .failure(error)
            throw error
        }
    }

    /// How the tenant's last opening ended: its store, or why it failed; nil while none has
    /// ended.
    func lastOpening(of tenant: TenantID) -> Result<Store, any Error>? {
        outcomes[tenant]
    }

    /// Every store opened so far, forgetting them.
    func removeAll() async -> [(TenantID, Store)] {
        let opened = stores
        stores = [:]
        outcomes = [:]
        var result: [(TenantID, Store)] = []
        for (tenant, opening) in opened {
            if let store = try? await opening.value { result.append((tenant, store)) }
        }
        return result
    }
}
