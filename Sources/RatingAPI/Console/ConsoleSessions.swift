import Foundation
import HTTPCore
import Synchronization

/// The console's sessions, in this process's memory: a session ends when it is signed out,
/// idle for `idleTimeout` or older than `maxAge`, and with the process.
public final class ConsoleSessions: Sendable {
    let idleTimeout: TimeInterval
    let maxAge: TimeInterval
    private let sessions = Mutex<[String: ConsoleSession]>([:])

    public init(idleTimeout: TimeInterval = 3_600, maxAge: TimeInterval = 12 * 3_600) {
        self.idleTimeout = idleTimeout
        self.maxAge = maxAge
    }

    /// A new session for `identity`.
    public func start(_ identity: TenantIdentity, at now: Date) -> ConsoleSession {
        let session = ConsoleSession(
            id: ConsoleSession.randomToken(), csrf: ConsoleSession.randomToken(), identity: identity, createdAt: now, lastUsedAt: now)
        sessions.withLock { sessions in
            sessions = sessions.filter { isLive($0.value, at: now) }
            sessions[session.id] = session
        }
        return session
    }

    /// The live session with cookie value `id`, marked used at `now`; nil when there is none
    /// or it expired (it is then forgotten).
    public func session(_ id: String, at now: Date) -> ConsoleSession? {
        sessions.withLock { sessions in
            guard var session = sessions[id] else { return nil }
            guard isLive(session, at: now) else {
                sessions[id] = nil
                return nil
            }
            session.lastUsedAt = now
            sessions[id] = session
            return session
        }
    }

    /// Ends the session with cookie value `id`.
    public func end(_ id: String) {
        sessions.withLock { $0[id] = nil }
    }

    /// How many sessions are held.
    public var count: Int { sessions.withLock { $0.count } }

    private func isLive(_ session: ConsoleSession, at now: Date) -> Bool {
        now.timeIntervalSince(session.lastUsedAt) < idleTimeout && now.timeIntervalSince(session.createdAt) < maxAge
    }
}
