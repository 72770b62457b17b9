import AlertCore
import Foundation
import HTTPCore
import Hummingbird
import HummingbirdTesting
import RatingAPI
import Testing

@Suite struct ProblemTests {
    /// A router whose only route needs `alerts:ack` and fails the way it is told.
    func router(identity: TenantIdentity?) -> Hummingbird.Router<AlertdRequestContext> {
        let router = Hummingbird.Router(context: AlertdRequestContext.self)
        router.add(middleware: ProblemMiddleware())
        router.post("check") { request, context -> String in
            var context = context
            context.identity = identity
            _ = try context.require(anyOf: Scope.alertsAck)
            switch request.uri.queryParameters["fail"] {
            case "invalid": throw Problem(status: .unprocessableContent, title: "Invalid alert", detail: "x is wrong", field: "alerts[0].x")
            case "down": throw Problem.unavailable("store down")
            case "http": throw HTTPError(.methodNotAllowed)
            case "other": throw CancellationError()
            default: return "ok"
            }
        }
        return router
    }

    func problem(_ response: TestResponse) throws -> [String: Any] {
        #expect(response.headers[.contentType] == "application/problem+json")
        return try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
    }

    @Test func rendersRFC9457Bodies() async throws {
        let identity = TenantIdentity(tenant: TenantID("acme")!, subject: "s", scopes: [.alertsAck])
        try await Application(router: router(identity: identity)).test(.router) { client in
            let invalid = try await client.execute(uri: "/check?fail=invalid", method: .post)
            #expect(invalid.status == .unprocessableContent)
            let body = try problem(invalid)
            #expect(body["type"] as? String == "about:blank")
            #expect(body["status"] as? Int == 422)
            #expect(body["field"] as? String == "alerts[0].x")
            let down = try await client.execute(uri: "/check?fail=down", method: .post)
            #expect(down.status == .serviceUnavailable)
            #expect(down.headers[.retryAfter] == "5")
            #expect(try problem(try await client.execute(uri: "/check?fail=http", method: .post))["status"] as? Int == 405)
            let other = try await client.execute(uri: "/check?fail=other", method: .post)
            #expect(other.status == .internalServerError)
            #expect((try problem(other)["detail"] as? String)?.contains("Cancellation") == false, "internals stay in the log")
            #expect(try await client.execute(uri: "/check", method: .post).status == .ok)
            #expect(try problem(try await client.execute(uri: "/missing", method: .get))["status"] as? Int == 404)
        }
    }

    @Test func scopesAreRequired() async throws {
        try await Application(router: router(identity: nil)).test(.router) { client in
            let response = try await client.execute(uri: "/check", method: .post)
            #expect(response.status == .unauthorized)
            #expect(response.headers[.wwwAuthenticate] == "Bearer")
        }
        let reader = TenantIdentity(tenant: TenantID("acme")!, subject: "s", scopes: [.alertsRead])
        try await Application(router: router(identity: reader)).test(.router) { client in
            let response = try await client.execute(uri: "/check", method: .post)
            #expect(response.status == .forbidden)
            #expect((try problem(response)["detail"] as? String)?.contains("alerts:ack") == true)
        }
    }
}
