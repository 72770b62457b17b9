import NIOCore
import NIOPosix

/// The thread of the database's work, one per process as NIO's shared event loops are: the
/// event loop that runs the pool's connections also runs the transactions' tasks and the
/// tenants' batches, so a statement's answer resumes its transaction on the thread that read
/// it, without waiting for a thread of the shared pool, busy with requests.
final class DatabaseThread: TaskExecutor {
    /// The group of the one event loop, for the connection pool.
    let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop

    private init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
    }

    static let shared = DatabaseThread()

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
