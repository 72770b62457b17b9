import AlertCore
import Synchronization

/// The alerts the console last read per tenant and status, reused while the store's change
/// mark (`TenantStore.changeMark`) stays the same: paging, filtering and the live list of an
/// unchanged tenant read no alert again. Holds the most recently used `capacity` listings.
final class ConsoleListingCache: Sendable {
    struct Listing: Sendable {
        var mark: String
        var records: [AlertRecord]
        /// What mutes each alert; nil for resolved alerts, which nothing mutes.
        var mutes: MuteRules?
        var used: UInt64 = 0
    }

    let capacity: Int
    private let state = Mutex<(listings: [String: Listing], clock: UInt64)>(([:], 0))

    init(capacity: Int = 16) {
        self.capacity = capacity
    }

    /// The listing under `key` when it was read at `mark`.
    func listing(_ key: String, mark: String) -> Listing? {
        state.withLock { state in
            guard var listing = state.listings[key], listing.mark == mark else { return nil }
            state.clock += 1
            listing.used = state.clock
            state.listings[key] = listing
            return listing
        }
    }

    func keep(_ listing: Listing, as key: String) {
        state.withLock { state in
            state.clock += 1
            var listing = listing
            listing.used = state.clock
            state.listings[key] = listing
            while state.listings.count > capacity, let oldest = state.listings.min(by: { $0.value.used < $1.value.used })?.key {
                state.listings[oldest] = nil
            }
        }
    }
}
