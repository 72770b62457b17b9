import AlertCore
import AsyncHTTPClient
import Foundation
import Synchronization
import TokenKeys

/// Fetches the JWKS document at a URL.
public typealias JWKSFetcher = @Sendable (_ url: String) async throws -> Data

/// A tenant's keys published at a JWKS URL. They are fetched when the tenant is loaded, again
/// every `refresh`, and when a token names a `kid` the set lacks, at most once per `refresh`.
/// A failed fetch keeps the last good keys.
final class RemoteKeySet: Sendable {
    struct State: Sendable {
        var keys: TenantKeys?
        var lastAttempt: Date?
        var lastError: String?
    }

    let auth: AuthConfig
    let url: String
    let refresh: TimeInterval
    let fetch: JWKSFetcher
    private let state = Mutex(State())

    init(auth: AuthConfig, url: String, refresh: TimeInterval, fetch: @escaping JWKSFetcher) {
        self.auth = auth
        self.url = url
        self.refresh = refresh
        self.fetch = fetch
    }

    /// The last good keys, if any fetch succeeded.
    var keys: TenantKeys? { state.withLock { $0.keys } }

    /// Fetches when the last attempt is `refresh` old (or there was none).
    func refreshIfDue(at now: Date) async {
        let due = state.withLock { state in
            guard let last = state.lastAttempt, now.timeIntervalSince(last) < refresh else {
                state.lastAttempt = now
                return true
            }
            return false
        }
        if due { await reload() }
    }

    private func reload() async {
        do {
            let document = try JSONValue.parse(try await fetch(url))
            var fetched = auth
            fetched.keys = .inline(document)
            let keys = try await TenantKeys(auth: fetched, file: url, published: true)
            state.withLock {
                $0.keys = keys
                $0.lastError = nil
            }
        } catch {
            state.withLock { $0.lastError = "\(error)" }
        }
    }

    /// GETs `url` with the shared HTTP client: 200 and at most 1 MiB within 10 seconds.
    static let httpFetcher: JWKSFetcher = { url in
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/json")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        guard response.status == .ok else { throw GatewayError(.invalidKeys, "\(url) answered \(response.status.code)") }
        return Data(buffer: try await response.body.collect(upTo: 1 << 20))
    }
}
