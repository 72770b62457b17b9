import AlertCore
import Foundation
import Synchronization

/// The SQLite stores of a provider whose files are open, at most `limit` of them. When one
/// more opens its files, the stores written to longest ago close theirs (`hibernate`; a
/// store in the middle of a write keeps them), down to seven eighths of the limit, so the
/// process holds a bounded number of open files whatever the number of tenants. A closed
/// store opens its files again when next used, and counts again.
final class OpenStores: Sendable {
    let limit: Int
    private let state = Mutex(State())

    private struct State {
        var stores: [TenantID: SQLiteTenantStore] = [:]
        var open: Set<TenantID> = []
    }

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// How many stores have their files open.
    var count: Int { state.withLock { $0.open.count } }

    /// A store just opened for the first time; its files are open.
    func add(_ store: SQLiteTenantStore) {
        state.withLock { $0.stores[store.tenant] = store }
        opened(store.tenant)
    }

    /// `tenant`'s store opened a connection to its file.
    func opened(_ tenant: TenantID) {
        let candidates = state.withLock { state -> [SQLiteTenantStore] in
            guard state.open.insert(tenant).inserted, state.open.count > limit else { return [] }
            let keep = limit - limit / 8
            let stores = state.stores
            let oldest = state.open.filter { $0 != tenant }.compactMap { stores[$0] }
                .sorted { $0.writer.lastWrite < $1.writer.lastWrite }
                .prefix(state.open.count - keep)
            for store in oldest { state.open.remove(store.tenant) }
            return Array(oldest)
        }
        for store in candidates { close(store, ifIdleSince: .distantFuture) }
    }

    /// Closes the files of the open stores nothing was written to since `cutoff`, pausing for
    /// `pause` after every `atOnce` of them: closing a file checkpoints its log on a writer
    /// thread, and a thousand closes at once would queue the busy tenants' writes behind them.
    /// Returns how many stores start closing their write connection.
    func hibernate(ifIdleSince cutoff: Date, atOnce: Int, pause: Duration) async -> Int {
        let open = state.withLock { state in state.open.compactMap { state.stores[$0] } }
        var closed = 0
        var sincePause = 0
        for store in open {
            if sincePause == max(1, atOnce) {
                try? await Task.sleep(for: pause)
                sincePause = 0
            }
            if close(store, ifIdleSince: cutoff) {
                closed += 1
                sincePause += 1
            }
        }
        return closed
    }

    /// Closes `store`'s files when nothing was written to it since `cutoff`; it stops counting
    /// unless it refused and keeps its write connection. True when it starts closing that.
    @discardableResult
    private func close(_ store: SQLiteTenantStore, ifIdleSince cutoff: Date) -> Bool {
        state.withLock { _ = $0.open.remove(store.tenant) }
        let closing = store.hibernate(ifIdleSince: cutoff)
        if !closing && !store.writer.isHibernating {
            state.withLock { _ = $0.open.insert(store.tenant) }
        }
        return closing
    }
}
