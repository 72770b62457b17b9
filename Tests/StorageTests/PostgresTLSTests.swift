import AlertCore
import Foundation
import TestSupport
import Testing

@testable import Storage

/// Connections to PostgreSQL over TLS, against a throwaway server that `scripts/test.sh`
/// starts with TLS required and a certificate authority made for the run
/// (`ALERTD_TEST_TLS_DATABASE_URL`, `ALERTD_TEST_TLS_CA`, `ALERTD_TEST_TLS_WRONG_CA`), and how
/// database URLs choose TLS.
@Suite struct PostgresTLSTests {
    static func environment(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try TestServices.value(name, sourceLocation: sourceLocation)
    }

    /// Opens a tenant's store through `url`, writes an alert and reads it back; a connection
    /// that cannot be made fails after the provider's `deadline` (six times it to provision).
    func roundTrip(_ url: String, deadline: Duration = .seconds(10)) async throws {
        let tenant = StoreBackend.freshTenant("tls")
        let provider = try PostgresStoreProvider(url: url, deadline: deadline, logger: StoreBackend.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await provider.run() }
            defer { group.cancelAll() }
            let store = try await provider.store(for: tenant)
            let now = Date()
            let alert = Alert(labels: ["alertname": "OverTLS"], source: "test", startsAt: now)
            let rating = Rating(score: 0.5, priority: .p3, urgent: false, factors: [])
            _ = try await store.record([RatedAlert(alert: alert, status: .firing, rating: rating)], at: now, policy: RatingPolicy())
            #expect(try await store.alert(alert.fingerprint)?.alert.labels["alertname"] == "OverTLS")
        }
    }

    /// `url` reaches no store: the connection is refused, so the provider's deadline (1 s, 6 s
    /// to provision) passes.
    func expectRefused(_ url: String) async {
        await #expect(throws: StoreError.self, "\(url)") { try await roundTrip(url, deadline: .seconds(1)) }
    }

    @Test func verifyFullConnectsWithTheServersAuthority() async throws {
        let base = try Self.environment("ALERTD_TEST_TLS_DATABASE_URL")
        let authority = try Self.environment("ALERTD_TEST_TLS_CA")
        try await roundTrip("\(base)?sslmode=verify-full&sslrootcert=\(authority)")
        let byName = base.replacingOccurrences(of: "127.0.0.1", with: "localhost")
        try await roundTrip("\(byName)?sslmode=verify-full&sslrootcert=\(authority)")
    }

    @Test func requireEncryptsWithoutCheckingTheCertificate() async throws {
        try await roundTrip("\(try Self.environment("ALERTD_TEST_TLS_DATABASE_URL"))?sslmode=require")
    }

    @Test func anotherAuthorityIsRefused() async throws {
        let base = try Self.environment("ALERTD_TEST_TLS_DATABASE_URL")
        let wrong = try Self.environment("ALERTD_TEST_TLS_WRONG_CA")
        await expectRefused("\(base)?sslmode=verify-full&sslrootcert=\(wrong)")
    }

    @Test func theSystemsAuthoritiesDoNotVouchForATestCertificate() async throws {
        let base = try Self.environment("ALERTD_TEST_TLS_DATABASE_URL")
        await expectRefused("\(base)?sslmode=verify-full")
    }

    @Test func plaintextIsRefusedByAServerThatRequiresTLS() async throws {
        let base = try Self.environment("ALERTD_TEST_TLS_DATABASE_URL")
        await expectRefused("\(base)?sslmode=disable")
    }

    @Test func sslModeDefaultsToVerifyFullAwayFromLoopback() throws {
        #expect(try PostgresURL("postgres://alertd@db.internal:5432/alertd").sslMode == .verifyFull)
        #expect(try PostgresURL("postgres://alertd@127.0.0.1:5432/alertd").sslMode == .disable)
        #expect(try PostgresURL("postgres://alertd@localhost/alertd").sslMode == .disable)
        #expect(try PostgresURL("postgres://alertd@[::1]:5432/alertd").sslMode == .disable)
        #expect(try PostgresURL("postgres://alertd@127.0.0.1/alertd?sslmode=require").sslMode == .require)
        let parsed = try PostgresURL("postgresql://alertd:s3cret@db.internal:6432/alerts?sslmode=disable")
        #expect(parsed.host == "db.internal" && parsed.port == 6432 && parsed.user == "alertd")
        #expect(parsed.password == "s3cret" && parsed.database == "alerts" && parsed.sslMode == .disable && parsed.rootCertificate == nil)
    }

    @Test func badTLSSettingsAreRefusedWithTheirReason() throws {
        let cases = [
            ("postgres://alertd@db/alertd?sslmode=prefer", "sslmode must be one of disable, require, verify-full"),
            ("postgres://alertd@db/alertd?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem", "sslrootcert /nonexistent/ca.pem cannot be read"),
            ("postgres://alertd@db/alertd?sslmode=require&sslrootcert=\(#filePath)", "sslrootcert is used only with sslmode=verify-full"),
            ("postgres://alertd@db/alertd?connect_timeout=5", "parameter connect_timeout is not one alertd reads"),
            ("mysql://alertd@db/alertd", "must look like postgres://"),
        ]
        for (url, reason) in cases {
            #expect(throws: StoreError.self, "\(url)") { try PostgresURL(url) }
            do {
                _ = try PostgresURL(url)
            } catch {
                #expect(error.message.contains(reason), "\(url): \(error.message)")
            }
        }
    }
}
