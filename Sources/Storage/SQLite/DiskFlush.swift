import Foundation
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Makes the SQLite stores' commits durable together. A store whose writer has a `DiskFlush`
/// commits with `synchronous=NORMAL` (its log is not synced at each commit; WAL mode keeps the
/// file consistent) and hands each committed transaction's answer here; a thread of its own
/// then flushes the whole filesystem once (`syncfs`) for every transaction handed in before
/// that flush began, and only then answers them. So the commits of many tenants, each in its
/// own file, share one flush instead of paying one `fdatasync` each, and a write is still
/// answered only once it is on disk. When a flush fails, the transactions it covered are
/// answered with the failure (committed, but not known to be durable).
final class DiskFlush: Sendable {
    private let sync: @Sendable () throws -> Void
    private let thread: NIOThreadPool
    private let state = Mutex(State())

    private struct State {
        var waiting: [@Sendable (Result<Void, StoreError>) -> Void] = []
        var flushing = false
    }

    /// Flushes with `sync`, on `thread`.
    init(thread: NIOThreadPool, sync: @escaping @Sendable () throws -> Void) {
        self.thread = thread
        self.sync = sync
    }

    /// Flushes the filesystem that holds `directory` (which must exist), on `thread`.
    convenience init(directory: String, thread: NIOThreadPool) throws {
        // glibc's syncfs(2), which `Glibc` does not import.
        typealias SyncFS = @convention(c) (Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else {
            throw StoreError(.openFailed, "the C library has no syncfs")
        }
        let syncfs = unsafeBitCast(symbol, to: SyncFS.self)
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw StoreError(.openFailed, "cannot open \(directory) to flush it: \(String(cString: strerror(errno)))")
        }
        let file = FileDescriptorBox(descriptor)
        self.init(thread: thread) {
            guard syncfs(file.descriptor) == 0 else {
                throw StoreError(.unavailable, "the disk did not confirm the write (syncfs: \(String(cString: strerror(errno))))")
            }
        }
    }

    /// Calls `done` once a flush that began after this call has ended.
    func afterNextFlush(_ done: @escaping @Sendable (Result<Void, StoreError>) -> Void) {
        let start = state.withLock { state -> Bool in
            state.waiting.append(done)
            if state.flushing { return false }
            state.flushing = true
            return true
        }
        if start { thread.submit { _ in self.drain() } }
    }

    /// Flushes until nothing waits; only one drain runs at a time (`State.flushing`).
    private func drain() {
        while true {
            let waiting = state.withLock { state in
                defer { state.waiting = [] }
                if state.waiting.isEmpty { state.flushing = false }
                return state.waiting
            }
            guard !waiting.isEmpty else { return }
            let result: Result<Void, StoreError>
            do {
                try sync()
                result = .success(())
            } catch let error as StoreError {
                result = .failure(error)
            } catch {
                result = .failure(StoreError(.unavailable, "the disk did not confirm the write: \(error)"))
            }
            for done in waiting { done(result) }
        }
    }
}

/// A file descriptor kept open for the life of the process's stores.
private final class FileDescriptorBox: Sendable {
    let descriptor: Int32

    init(_ descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}
