import Foundation
import NIOSSL
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…&sslrootcert=…` URL as alertd reads
/// it. `sslmode` is libpq's: `disable` (plaintext), `require` (encrypted, the server's
/// certificate not checked) or `verify-full` (encrypted, the certificate checked against the
/// trusted roots, `sslrootcert` or the system's, and the host name). Without `sslmode` a
/// loopback host gets `disable` and any other host `verify-full`.
struct PostgresURL: Equatable {
    enum SSLMode: String, CaseIterable {
        case disable
        case require
        case verifyFull = "verify-full"
    }

    var host: String
    var port: Int
    var user: String
    var password: String?
    var database: String?
    var sslMode: SSLMode
    /// A PEM file of the certificate authorities to trust instead of the system's.
    var rootCertificate: String?

    static let parameters = ["sslmode", "sslrootcert"]

    init(_ text: String) throws(StoreError) {
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, !host.isEmpty, let user = components.user
        else {
            throw StoreError(.openFailed, "the database URL must look like postgres://user:password@host:port/database")
        }
        self.host = host
        port = components.port ?? 5432
        self.user = user
        password = components.password
        database = components.path.split(separator: "/").first.map(String.init)
        var mode: SSLMode?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let value = item.value, let parsed = SSLMode(rawValue: value) else {
                    throw StoreError(
                        .openFailed,
                        "the database URL's sslmode must be one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", ")), not \(item.value ?? "empty")")
                }
                mode = parsed
            case "sslrootcert":
                guard let value = item.value, !value.isEmpty else { throw StoreError(.openFailed, "the database URL's sslrootcert must name a PEM file") }
                guard FileManager.default.isReadableFile(atPath: value) else {
                    throw StoreError(.openFailed, "the database URL's sslrootcert \(value) cannot be read")
                }
                rootCertificate = value
            default:
                throw StoreError(
                    .openFailed,
                    "the database URL's parameter \(item.name) is not one alertd reads (\(Self.parameters.joined(separator: ", ")))")
            }
        }
        sslMode = mode ?? (Self.isLoopback(host) ? .disable : .verifyFull)
        if rootCertificate != nil, sslMode != .verifyFull {
            throw StoreError(.openFailed, "the database URL's sslrootcert is used only with sslmode=verify-full")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// The connection settings of the client's pool.
    func clientConfiguration() throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case .disable:
            tls = .disable
        case .require:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .none
            tls = .require(configuration)
        case .verifyFull:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .fullVerification
            if let rootCertificate { configuration.trustRoots = .file(rootCertificate) }
            tls = .require(configuration)
        }
        var configuration = PostgresClient.Configuration(
            host: host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")), port: port, username: user, password: password,
            database: database, tls: tls)
        configuration.options.maximumConnections = 20
        return configuration
    }
}
