import Foundation
import Testing

/// The servers and programs some tests need (PostgreSQL, Kafka brokers, Debian's Prometheus
/// and Alertmanager), which `scripts/test.sh` installs and starts and names in `ALERTD_TEST_*`
/// variables. Under a plain `swift test` a test that needs one is cancelled, and so reported
/// as skipped, with what it needs; when `ALERTD_TEST_REQUIRE_SERVICES=1` (the `integration`
/// stage, and so `.ci/run`) a missing one fails the test instead, so nothing is skipped there.
public enum TestServices {
    static var required: Bool { ProcessInfo.processInfo.environment["ALERTD_TEST_REQUIRE_SERVICES"] == "1" }

    /// The value of the variable `name`.
    public static func value(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        if let value = ProcessInfo.processInfo.environment[name], !value.isEmpty { return value }
        try missing("\(name) is not set", sourceLocation: sourceLocation)
    }

    /// `path`, when that program is installed.
    public static func program(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        if FileManager.default.isExecutableFile(atPath: path) { return path }
        try missing("\(path) is not installed", sourceLocation: sourceLocation)
    }

    private static func missing(_ what: String, sourceLocation: SourceLocation) throws -> Never {
        let reason = "\(what); scripts/test.sh integration provides it"
        if required { throw MissingTestService(description: reason) }
        try Test.cancel(Comment(rawValue: "skipped: \(reason)"), sourceLocation: sourceLocation)
    }
}

/// A server or program a test needs was not provided where it must be.
public struct MissingTestService: Error, CustomStringConvertible {
    public var description: String
}
