import AlertCore
import ArgumentParser
import Foundation
import Sinks
import TenantFiles

/// `alertd tenants validate|show|diff|import|route`.
struct TenantsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenants", abstract: "Check, inspect and import tenant configuration.",
        subcommands: [Validate.self, Show.self, Diff.self, Import.self, RouteTest.self])

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every tenants/<id>/tenant.yaml; exit 1 and list every problem (file: field: reason) if any.")

        @Argument(help: "The tenants directory.")
        var directory: String = "tenants"

        func run() async throws {
            do {
                let tenants = try await TenantDirectory(path: directory, receivers: SinkRegistry.standard).load()
                print("\(tenants.count) tenant(s) valid: \(tenants.map(\.id.rawValue).joined(separator: ", "))")
            } catch {
                for problem in error.problems { printError(problem.description) }
                printError("\(error.problems.count) problem(s) found")
                throw ExitCode.failure
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print each tenant's routing tree and receivers.")

        @Argument(help: "The tenants directory.")
        var directory: String = "tenants"

        func run() async throws {
            let tenants = try await TenantDirectory(path: directory, receivers: SinkRegistry.standard).load()
            for tenant in tenants {
                print("tenant \(tenant.id) (\(tenant.name))")
                print("  issuer \(tenant.auth.issuer), audience \(tenant.auth.audience), tenant claim \(tenant.auth.tenantClaim)")
                print("  rating threshold \(tenant.rating.threshold)")
                printRoute(tenant.route, depth: 1)
                for receiver in tenant.receivers.values.sorted(by: { $0.name < $1.name }) {
                    print("  receiver \(receiver.name): \(receiver.kind)")
                }
            }
        }

        private func printRoute(_ route: Route, depth: Int) {
            let indent = String(repeating: "  ", count: depth)
            let matchers = route.matchers.map(\.description).joined(separator: ", ")
            print("\(indent)route [\(matchers.isEmpty ? "*" : matchers)] → \(route.receiver)\(route.continueMatching ? " (continue)" : "")")
            for child in route.routes { printRoute(child, depth: depth + 1) }
        }
    }
}

extension TenantsCommand {
    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print what changing the tenants in OLD into those in NEW does: tenants, routes, receivers, quotas.")

        @Argument(help: "The tenants directory as it is.")
        var old: String

        @Argument(help: "The tenants directory as it would be.")
        var new: String

        func run() async throws {
            let before = try await load(old)
            let after = try await load(new)
            let lines = TenantDiff.lines(from: before, to: after)
            print(lines.isEmpty ? "no changes" : lines.joined(separator: "\n"))
        }

        private func load(_ directory: String) async throws -> [TenantConfig] {
            do {
                return try await TenantDirectory(path: directory, receivers: SinkRegistry.standard).load()
            } catch {
                for problem in error.problems { printError(problem.description) }
                printError("\(directory) is invalid: \(error.problems.count) problem(s)")
                throw ExitCode.failure
            }
        }
    }
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
