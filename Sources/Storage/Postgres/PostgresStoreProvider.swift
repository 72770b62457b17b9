import AlertCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import ServiceLifecycle

/// The production store: one PostgreSQL database shared by every tenant, each tenant in its
/// own schema owned by its own role. Every tenant transaction switches to the tenant's role
/// and schema, so a query cannot reach another tenant's tables even if it forgets a filter:
/// the database refuses it.
///
/// The provider is a `Service`: its connection pool runs while the service group runs.
public final class PostgresStoreProvider: TenantStoreProvider, Service {
    let client: PostgresClient
    let logger: Logger
    /// How long an operation may wait for the database before the request fails with 503.
    let deadline: Duration
    private let stores = StoreCache<PostgresTenantStore>()
    /// Tenants set up at a time (`ProvisioningGate`); the pool keeps the rest of its
    /// connections for requests.
    private let provisioning = ProvisioningGate(width: 4)

    /// - Parameter url: `postgres://user:password@host:port/database`, with libpq's `sslmode`
    ///   (`disable`, `require`, `verify-full`; default `verify-full` unless the host is
    ///   loopback) and `sslrootcert` (a PEM file of the authorities to trust).
    public init(url: String, deadline: Duration = .seconds(5), logger: Logger) throws {
        client = PostgresClient(configuration: try PostgresURL(url).clientConfiguration(), backgroundLogger: logger)
        self.logger = logger
        self.deadline = deadline
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.client.run() }
    }

    /// Sets the tenant up on first use; a request (`StoreDemand.fromRequest`) has its tenant set
    /// up ahead of those background work waits for, even when background work asked first.
    public func store(for tenant: TenantID) async throws -> any TenantStore {
        let fromRequest = StoreDemand.fromRequest
        if fromRequest { provisioning.promote(tenant) }
        return try await stores.store(for: tenant) {
            try await self.provision(tenant, first: fromRequest)
            return PostgresTenantStore(tenant: tenant, namespace: PostgresNamespace(tenant: tenant), provider: self)
        }
    }

    /// Whether the tenant's store can be used, without setting it up: a tenant set up by this
    /// process answers from its own schema, under its own role (`PostgresTenantStore.ping`);
    /// one not set up yet, such as a new tenant's that the start's warm-up has not reached,
    /// answers when the database does and its last setup did not fail.
    public func ping(_ tenant: TenantID) async throws {
        switch await stores.lastOpening(of: tenant) {
        case .success(let store)?: try await store.ping()
        case .failure(let error)?: throw error
        case nil: try await withDeadline(deadline) { _ = try await self.client.query("SELECT 1", logger: self.logger).collect() }
        }
    }

    /// Creates the tenant's role and schema when missing and applies pending migrations. The
    /// role is created under one advisory lock shared by every tenant and replica (role changes
    /// of concurrent sessions conflict in PostgreSQL's shared catalog), in a transaction of its
    /// own; the schema and its migrations then run under the tenant's own advisory lock, so
    /// replicas starting together migrate a tenant once while different tenants migrate side
    /// by side. Waiting for a lock is not the database failing to answer, so provisioning may
    /// take `provisioningDeadlineFactor` times the deadline; nor is waiting for a place among
    /// the tenants being set up (`provisioning`, `first` for a request's), which comes first and
    /// has no deadline. Never drops anything.
    func provision(_ tenant: TenantID, first: Bool) async throws {
        try await provisioning.run(tenant, first: first) {
            try await withDeadline(deadline * Self.provisioningDeadlineFactor) { try await self.setUp(PostgresNamespace(tenant: tenant)) }
        }
    }

    /// The work of `provision`.
    private func setUp(_ namespace: PostgresNamespace) async throws {
        try await self.client.withTransaction(logger: self.logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.provisioningLock))", logger: self.logger)
            let roles = try await connection.query("SELECT 1 FROM pg_roles WHERE rolname = \(namespace.role)", logger: self.logger)
            if try await roles.collect().isEmpty {
                try await connection.query(PostgresQuery(unsafeSQL: #"CREATE ROLE "\#(namespace.role)" NOLOGIN"#), logger: self.logger)
            }
            try await connection.query(
                PostgresQuery(unsafeSQL: #"GRANT "\#(namespace.role)" TO CURRENT_USER"#), logger: self.logger)
        }
        try await self.client.withTransaction(logger: self.logger) { connection in
            try await connection.query(
                "SELECT pg_advisory_xact_lock(\(Self.tenantLockClass), hashtext(\(namespace.schema)))", logger: self.logger)
            try await connection.query(
                PostgresQuery(unsafeSQL: #"CREATE SCHEMA IF NOT EXISTS "\#(namespace.schema)" AUTHORIZATION "\#(namespace.role)""#),
                logger: self.logger)
            try await connection.query(
                PostgresQuery(unsafeSQL: #"REVOKE ALL ON SCHEMA "\#(namespace.schema)" FROM PUBLIC"#), logger: self.logger)
            try await self.enter(namespace, on: connection)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL)",
                logger: self.logger)
            let applied = try await connection.query("SELECT coalesce(max(version), 0) FROM schema_migrations", logger: self.logger)
            var version = 0
            for try await current in applied.decode(Int.self) { version = current }
            for (index, migration) in TenantMigration.all.enumerated() where index >= version {
                for statement in migration.postgres {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: self.logger)
                }
                try await connection.query(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(index + 1), now())", logger: self.logger)
            }
        }
    }

    /// The advisory lock of creating tenants' roles (`alertdmg`), shared by every replica.
    static let provisioningLock: Int64 = 0x616c_6572_7464_6d67
    /// The first key of a tenant's own advisory lock (`aldt`); the second is a hash of its schema.
    static let tenantLockClass: Int32 = 0x616c_6474
    /// How many deadlines provisioning a tenant may take, its wait for the lock included.
    static let provisioningDeadlineFactor = 6

    /// Switches the open transaction to the tenant's role and schema.
    func enter(_ namespace: PostgresNamespace, on connection: PostgresConnection) async throws {
        try await connection.query(Self.entering(namespace), logger: logger)
    }

    /// The statement of `enter`.
    static func entering(_ namespace: PostgresNamespace) -> PostgresQuery {
        "SELECT set_config('role', \(namespace.role), true), set_config('search_path', \(namespace.schema), true)"
    }

    /// Runs `body` in a transaction as the tenant, failing after the provider's deadline.
    ///
    /// `BEGIN` and entering the tenant go to the database without waiting for their answers,
    /// so the first statement of `body` follows them at once (a connection runs its statements
    /// in the order they were sent). Should either fail, the transaction is aborted and the
    /// database refuses every statement of `body`; the error of the first of them is thrown.
    func transaction<T: Sendable>(
        _ namespace: PostgresNamespace, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await transaction(namespace, sending: { connection in
            let value = try await body(connection)
            return { value }
        })
    }

    /// Runs `body` in a transaction as `transaction(_:_:)` does, for a body whose last
    /// statements need no answer before the commit: `body` sends them without waiting (the
    /// statements that return futures) and returns how to read their answers; `COMMIT` follows
    /// them at once. A failed statement aborts the transaction, which the database then ends
    /// with a rollback instead of the commit, and its error is thrown.
    func transaction<T: Sendable>(
        _ namespace: PostgresNamespace,
        sending body: @escaping @Sendable (PostgresConnection) async throws -> @Sendable () async throws -> T
    ) async throws -> T {
        try await withDeadline(deadline) {
            try await self.client.withConnection { connection in
                let opening: [EventLoopFuture<PostgresQueryResult>] = [
                    connection.query("BEGIN", logger: self.logger),
                    connection.query(Self.entering(namespace), logger: self.logger),
                ]
                let answers: @Sendable () async throws -> T
                do {
                    answers = try await body(connection)
                } catch {
                    _ = try? await connection.query("ROLLBACK", logger: self.logger)
                    for statement in opening { _ = try await statement.get() }
                    throw error
                }
                let commit: EventLoopFuture<PostgresQueryResult> = connection.query("COMMIT", logger: self.logger)
                let value: T
                do {
                    for statement in opening { _ = try await statement.get() }
                    value = try await answers()
                } catch {
                    _ = try? await commit.get()
                    throw error
                }
                let ended = try await commit.get().metadata.command
                guard ended == "COMMIT" else {
                    throw StoreError(.rolledBack, "the database ended the transaction with \(ended) instead of committing it")
                }
                return value
            }
        }
    }

    /// Runs `body`, failing with `unavailable` once the deadline passes. A connection
    /// attempt to a database that is down does not always react to cancellation, so the
    /// work is cancelled and left to finish on its own rather than awaited: a transaction
    /// that commits late was answered 503, which a client retries and the fingerprint
    /// deduplicates. The work runs at high priority, as `GroupCommit`'s batches do: a request
    /// waiting for a transaction of its tenant waits for every statement of it.
    private func withDeadline<T: Sendable>(_ deadline: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let outcome = FirstOutcome<T>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.attach(continuation)
            let work = Task(priority: .high) {
                do {
                    outcome.finish(.success(try await body()))
                } catch {
                    outcome.finish(.failure(error))
                }
            }
            outcome.attach(
                timer: MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(deadline)) {
                    if outcome.finish(.failure(StoreError(.unavailable, "the database did not answer within \(deadline)"))) {
                        work.cancel()
                    }
                })
        }
    }
}
