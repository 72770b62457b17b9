import Hummingbird
import Logging
import ServiceLifecycle

/// Serves a router on the loopback interface while a body runs.
public enum LocalHTTPServer {
    /// Listens on `port` (0 picks a free one), runs `body` with the bound port, then shuts down.
    public static func serve<T: Sendable>(
        router: Hummingbird.Router<BasicRequestContext>, port: Int = 0, _ body: @Sendable (Int) async throws -> T
    ) async throws -> T {
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) },
            logger: Logger(label: "local-http-server"))
        let services = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "local-http-server")))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            var iterator = ports.makeAsyncIterator()
            guard let boundPort = await iterator.next() else { throw CancellationError() }
            do {
                let value = try await body(boundPort)
                await services.triggerGracefulShutdown()
                try await group.waitForAll()
                return value
            } catch {
                await services.triggerGracefulShutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }
}
