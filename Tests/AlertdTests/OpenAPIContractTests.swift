import AlertCore
@testable import alertd
import Authentication
import Delivery
import Foundation
import HTTPCore
import Hummingbird
import Logging
import Testing
import Yams

/// `openapi.yaml` and the router agree: the same operations, every reference resolves, and
/// every authenticated operation documents 401 and 403.
@Suite struct OpenAPIContractTests {
    static func spec() throws -> [String: Any] {
        let text = try String(contentsOfFile: "\(TestDeployment.repository)/openapi.yaml", encoding: .utf8)
        return try #require(try Yams.load(yaml: text) as? [String: Any])
    }

    func routerOperations() async throws -> Set<String> {
        let router = buildRouter(
            catalog: TenantCatalog([]), stores: UnavailableStores(), bus: InProcessAlertBus(capacity: 1, logger: Logger(label: "openapi")),
            verifier: try await TokenVerifier(tenants: []), reload: { true })
        return Set(router.routes.map { "\($0.method) \($0.path)" })
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsRouted() async throws {
        let paths = try #require(try Self.spec()["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } })
        let routed = try await routerOperations()
        #expect(routed.subtracting(documented).isEmpty, "routed but not in openapi.yaml: \(routed.subtracting(documented).sorted())")
        #expect(documented.subtracting(routed).isEmpty, "in openapi.yaml but not routed: \(documented.subtracting(routed).sorted())")
    }

    /// Authentication learns which paths are ingest from `IngestEndpoint`; each must be a route.
    @Test func everyIngestEndpointIsARoutedPost() async throws {
        let routed = try await routerOperations()
        for endpoint in IngestEndpoint.allCases {
            #expect(routed.contains("POST \(endpoint.rawValue)"), "\(endpoint) is routed at \(endpoint.rawValue)")
            #expect("/\(endpoint.group)/\(endpoint.route)" == endpoint.rawValue)
        }
    }

    @Test func everyReferenceResolvesAndAuthenticatedOperationsDocumentTheirRefusals() throws {
        let spec = try Self.spec()
        var references: [String] = []
        func collect(_ value: Any) {
            if let object = value as? [String: Any] {
                if let reference = object["$ref"] as? String { references.append(reference) }
                object.values.forEach(collect)
            } else if let list = value as? [Any] {
                list.forEach(collect)
            }
        }
        collect(spec)
        #expect(!references.isEmpty)
        for reference in Set(references) {
            let parts = reference.dropFirst(2).split(separator: "/").map(String.init)
            var node: Any? = spec
            for part in parts { node = (node as? [String: Any])?[part] }
            #expect(reference.hasPrefix("#/") && node != nil, "\(reference) resolves")
        }
        let paths = try #require(spec["paths"] as? [String: [String: [String: Any]]])
        for (path, operations) in paths {
            for (method, operation) in operations {
                let isPublic = (operation["security"] as? [Any])?.isEmpty == true
                let responses = try #require(operation["responses"] as? [String: Any], "\(method) \(path) has responses")
                if !isPublic {
                    #expect(responses["401"] != nil && responses["403"] != nil, "\(method) \(path) documents 401 and 403")
                }
            }
        }
    }
}
