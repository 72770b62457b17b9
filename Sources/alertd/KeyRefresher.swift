import Authentication
import ServiceLifecycle

/// Fetches the JWKS URLs of tenants whose keys are published there, each on its own refresh
/// interval (checked every `tick`).
struct KeyRefresher: Service {
    let verifier: TokenVerifier
    var tick: Duration = .seconds(5)

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            await verifier.refreshKeys()
            guard (try? await cancelWhenGracefulShutdown({ try await Task.sleep(for: tick) })) != nil else { return }
        }
    }
}
