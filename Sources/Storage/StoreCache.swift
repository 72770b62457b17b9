import AlertCore

/// Opens each tenant's store once, even when several callers ask at the same time; a failed
/// opening is retried on the next call.
actor StoreCache<Store: TenantStore> {
    private var stores: [TenantID: Task<Store, any Error>] = [:]

    func store(for tenant: TenantID, open: @escaping @Sendable () async throws -> Store) async throws -> Store {
        if let opening = stores[tenant] { return try await opening.value }
        let opening = Task { try await open() }
        stores[tenant] = opening
        do {
            return try await opening.value
        } catch {
            stores[tenant] = nil
            throw error
        }
    }

    /// Every store opened so far, forgetting them.
    func removeAll() async -> [(TenantID, Store)] {
        let opened = stores
        stores = [:]
        var result: [(TenantID, Store)] = []
        for (tenant, opening) in opened {
            if let store = try? await opening.value { result.append((tenant, store)) }
        }
        return result
    }
}
