import Sinks

extension NotificationSender {
    /// Runs `body` with a sender over a client of its own, and shuts that client down however
    /// `body` ends (a failed `#require` throws).
    static func withSender<T>(secrets: SecretResolver, _ body: (NotificationSender) async throws -> T) async throws -> T {
        let client = makeHTTPClient()
        let result: T
        do {
            result = try await body(NotificationSender(client: client, secrets: secrets))
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        return result
    }
}
