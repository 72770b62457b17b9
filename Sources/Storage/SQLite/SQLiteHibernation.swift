import Foundation
import ServiceLifecycle

/// Closes the files of tenant stores that have been idle for `idle`, looking every `interval`,
/// so that a process with many idle tenants holds no open file for them.
public struct SQLiteHibernation: Service {
    let provider: SQLiteStoreProvider
    let interval: Duration
    let idle: Duration

    public init(provider: SQLiteStoreProvider, interval: Duration = .seconds(5), idle: Duration = .seconds(10)) {
        self.provider = provider
        self.interval = interval
        self.idle = idle
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            await provider.hibernate(idleFor: idle)
        }
    }
}
