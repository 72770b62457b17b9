import Foundation

extension Process {
    /// Waits until the process has exited, on a thread of Dispatch's global queue rather than
    /// one of the few threads Swift's concurrency runs every task on: tests wait for several
    /// processes at once, and a blocked thread of that pool is one less for everything else,
    /// down to a standstill on a small machine.
    public func exited() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.waitUntilExit()
                continuation.resume()
            }
        }
    }

    /// Ends the process with SIGTERM, unless it has exited already, and waits until it has
    /// (`exited()`).
    public func stop() async {
        if isRunning { terminate() }
        await exited()
    }

    /// Runs `body`, then stops the process (`stop()`), also when `body` throws: the async
    /// counterpart of `defer { terminate(); waitUntilExit() }`, whose wait would hold one of
    /// the concurrency pool's threads for as long as the process takes to shut down.
    public func whileRunning<T>(_ body: () async throws -> T) async throws -> T {
        let value: T
        do {
            value = try await body()
        } catch {
            await stop()
            throw error
        }
        await stop()
        return value
    }
}
