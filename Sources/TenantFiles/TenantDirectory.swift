import AlertCore
import Foundation
import TokenKeys
import Yams

/// Loads every tenant of a directory laid out as `<dir>/<id>/tenant.yaml`.
public struct TenantDirectory: Sendable {
    public let path: String
    let receivers: any ReceiverValidating

    public init(path: String, receivers: any ReceiverValidating) {
        self.path = path
        self.receivers = receivers
    }

    /// How many tenants' files are read and parsed at a time.
    static let concurrentReads = 8

    /// Every tenant, with JWKS files read and every key checked; throws all problems of all
    /// files at once, in the order of the tenants' directory names.
    public func load() async throws(ConfigProblems) -> [TenantConfig] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path).sorted()
        } catch {
            throw ConfigProblems([ConfigProblem(file: path, path: "", reason: "cannot read the tenants directory")])
        }
        let (path, receivers) = (path, receivers)
        let loaded = await names.concurrentMap(width: Self.concurrentReads) { name -> Result<TenantConfig, ConfigProblems>? in
            let directory = "\(path)/\(name)"
            let file = "\(directory)/tenant.yaml"
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                return nil
            }
            guard FileManager.default.fileExists(atPath: file) else {
                return .failure(ConfigProblems([ConfigProblem(file: file, path: "", reason: "is missing")]))
            }
            do throws(ConfigProblems) {
                return .success(try await Self.loadTenant(file: file, directory: directory, expectedID: name, receivers: receivers))
            } catch {
                return .failure(error)
            }
        }
        var tenants: [TenantConfig] = []
        var problems: [ConfigProblem] = []
        for result in loaded {
            switch result {
            case .success(let tenant): tenants.append(tenant)
            case .failure(let error): problems += error.problems
            case nil: break
            }
        }
        problems += Self.sharedIntegrationKeys(tenants, directory: path)
        if tenants.isEmpty && problems.isEmpty {
            problems.append(ConfigProblem(file: path, path: "", reason: "holds no tenant directories"))
        }
        guard problems.isEmpty else { throw ConfigProblems(problems) }
        return tenants
    }

    /// One tenant's configuration, `<dir>/<tenant>/tenant.yaml`, with its JWKS file read and
    /// its keys checked, without reading the other tenants (so without the checks that compare
    /// tenants); nil when the directory has no such tenant.
    public func load(_ tenant: TenantID) async throws(ConfigProblems) -> TenantConfig? {
        let directory = "\(path)/\(tenant.rawValue)"
        let file = "\(directory)/tenant.yaml"
        guard FileManager.default.fileExists(atPath: file) else { return nil }
        return try await Self.loadTenant(file: file, directory: directory, expectedID: tenant.rawValue, receivers: receivers)
    }

    /// An integration key must name one tenant: a hash listed by two tenants is a problem in
    /// both files.
    static func sharedIntegrationKeys(_ tenants: [TenantConfig], directory: String) -> [ConfigProblem] {
        var problems: [ConfigProblem] = []
        for tenant in tenants {
            for (index, key) in tenant.auth.integrationKeys.enumerated() {
                let others = tenants.filter { $0.id != tenant.id && $0.auth.integrationKeys.contains { $0.sha256 == key.sha256 } }
                guard !others.isEmpty else { continue }
                problems.append(
                    ConfigProblem(
                        file: "\(directory)/\(tenant.id)/tenant.yaml", path: "auth.integrationKeys[\(index)].sha256",
                        reason: "is also an integration key of tenant \(others.map(\.id.rawValue).joined(separator: ", ")); a key must name one tenant"))
            }
        }
        return problems
    }

    static func loadTenant(
        file: String, directory: String, expectedID: String, receivers: any ReceiverValidating
    ) async throws(ConfigProblems) -> TenantConfig {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ConfigProblems([ConfigProblem(file: file, path: "", reason: "cannot be read")])
        }
        let document: JSONValue
        do {
            document = try YAMLDocument.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw ConfigProblems([ConfigProblem(file: file, path: "", reason: "is not valid YAML: \(error)")])
        }
        var config = try TenantConfig.parse(document, file: file, expectedID: expectedID, receivers: receivers)
        if case .file(let relative) = config.auth.keys {
            let keyFile = relative.hasPrefix("/") ? relative : "\(directory)/\(relative)"
            guard let keyData = FileManager.default.contents(atPath: keyFile), let jwks = try? JSONValue.parse(keyData) else {
                throw ConfigProblems([
                    ConfigProblem(file: file, path: "auth.jwks.file", reason: "\(keyFile) is missing or not JSON")
                ])
            }
            config.auth.keys = .inline(jwks)
        }
        if case .inline = config.auth.keys {
            do throws(ConfigProblem) {
                _ = try await TenantKeys(auth: config.auth, file: file)
            } catch {
                throw ConfigProblems([error])
            }
        }
        return config
    }
}
