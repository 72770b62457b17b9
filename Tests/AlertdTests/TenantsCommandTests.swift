import Foundation
import Testing

/// `alertd tenants validate`, as a platform team runs it in its tenant repo's CI.
@Suite struct TenantsCommandTests {
    /// Runs the binary; returns its exit status and what it wrote to standard error.
    static func run(_ arguments: [String]) async throws -> (Int32, String) {
        let (status, output) = try await PostgresOutageTests.run(
            "/bin/sh", ["-c", "\"$0\" \"$@\" 2>&1 >/dev/null", PostgresOutageTests.binary] + arguments)
        return (status, output)
    }

    @Test func validateNamesEveryProblemWithItsFileAndField() async throws {
        let fixtures = "\(TestDeployment.repository)/Tests/Fixtures/tenants-broken"
        let (status, output) = try await Self.run(["tenants", "validate", fixtures])
        #expect(status == 1)
        let expected = [
            "broken/tenant.yaml: auth.issuer: \"not-a-url\" must be an http(s) URL",
            "broken/tenant.yaml: rating.weights.severity: must be between 0 and 1000, not -1",
            "broken/tenant.yaml: receivers[1].slack.url: must be a secret reference (env:NAME or file:PATH), never the secret itself",
            "broken/tenant.yaml: routes.group_wait: \"5 minutes\" is not a duration",
            "broken/tenant.yaml: routes.routes[0].matchers[0]: matcher \"severity==\"x\"\" has a second operator",
            "broken/tenant.yaml: routes.routes[0].receiver: receiver \"nowhere\" is not defined in receivers",
            "mismatch/tenant.yaml: id: \"other-id\" does not match its directory name \"mismatch\"",
            "7 problem(s) found",
        ]
        for line in expected {
            #expect(output.contains(line), "missing: \(line)\nin:\n\(output)")
        }
    }

    @Test func validateAcceptsTheShippedTenants() async throws {
        let (status, output) = try await Self.run(["tenants", "validate", "\(TestDeployment.repository)/tenants"])
        #expect(status == 0, "\(output)")
    }
}
