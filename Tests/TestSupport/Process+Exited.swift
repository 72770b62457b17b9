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
}
