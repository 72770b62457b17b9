import AlertCore
import Crypto
import Foundation
import HTTPCore
import Hummingbird
import NIOCore

/// Sets the request's identity from its bearer token. A request without a token passes on
/// without an identity (routes that need one answer 401); a bad token is answered 401 here.
/// A request to an ingest endpoint that accepts integration keys (PagerDuty's
/// `POST /v2/enqueue`) without a token is identified by its `routing_key`: the tenant that
/// lists the key's SHA-256 under `auth.integrationKeys`, with scope `alerts:write` only.
///
/// Audits every request answered 401 or 403, and every state-changing operator action (any
/// method but GET, except a `POST` to an `IngestEndpoint`).
public struct AuthenticationMiddleware: RouterMiddleware {
    public typealias Context = AlertdRequestContext
    let verifier: any IdentityVerifier
    let integrationKeys: TenantCatalog?
    let audit: AuditLog?

    /// PagerDuty's own limit on an event.
    static let maxPagerDutyEventBytes = 512 * 1_024

    /// `integrationKeys` resolves the routing keys of PagerDuty events; without it (a rating
    /// process behind the gateway) only tokens identify.
    public init(verifier: any IdentityVerifier, integrationKeys: TenantCatalog? = nil, audit: AuditLog? = nil) {
        self.verifier = verifier
        self.integrationKeys = integrationKeys
        self.audit = audit
    }

    public func handle(
        _ request: Request, context: AlertdRequestContext, next: (Request, AlertdRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        var request = request
        do {
            if let header = request.headers[.authorization] {
                guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
                    throw Problem.unauthorized("the Authorization header must be \"Bearer <token>\"")
                }
                context.identity = try await verifier.verify(Self.bearerToken(header), now: Date())
            } else if let integrationKeys, request.method == .post, IngestEndpoint(rawValue: request.uri.path)?.acceptsIntegrationKey == true {
                context.identity = try await identify(&request, by: integrationKeys)
            }
            if let identity = context.identity {
                context.logger[metadataKey: "tenant"] = .string(identity.tenant.rawValue)
            }
            let response = try await next(request, context)
            if Self.isOperatorAction(request) {
                record(request, context.identity, outcome: "allowed \(response.status.code)")
            }
            return response
        } catch let problem as Problem where problem.status == .unauthorized || problem.status == .forbidden {
            record(request, context.identity, outcome: "denied \(problem.status.code): \(problem.detail)")
            throw problem
        }
    }

    /// The token of a `Bearer <token>` header, without the whitespace around it. Trimmed by
    /// hand: Foundation's `trimmingCharacters` bridges the whole token to `NSString`, which cost
    /// 4.5 % of ingest.
    static func bearerToken(_ header: String) -> String {
        var token = header.dropFirst(7)
        while token.first?.isWhitespace == true { token = token.dropFirst() }
        while token.last?.isWhitespace == true { token = token.dropLast() }
        return String(token)
    }

    static func isOperatorAction(_ request: Request) -> Bool {
        guard request.method != .get, request.method != .head else { return false }
        return request.method != .post || IngestEndpoint(rawValue: request.uri.path) == nil
    }

    /// The identity a PagerDuty event's `routing_key` proves. The body is read here (up to
    /// PagerDuty's 512 KiB) and stays readable for the route.
    func identify(_ request: inout Request, by catalog: TenantCatalog) async throws -> TenantIdentity {
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maxPagerDutyEventBytes)
        } catch is NIOTooManyBytesError {
            throw Problem(status: .contentTooLarge, title: "Body too large", detail: "a PagerDuty event may have at most 512 KiB")
        }
        guard case .object(let event)? = try? JSONValue.parse(Data(buffer: body)), let key = event["routing_key"]?.stringValue, !key.isEmpty
        else {
            throw Problem.unauthorized("a PagerDuty event needs its routing_key (an integration key of the tenant) or a bearer token")
        }
        let hash = SHA256.hash(data: Data(key.utf8)).map { String(format: "%02x", $0) }.joined()
        guard let (tenant, integration) = catalog.integrationKey(sha256: hash) else {
            throw Problem.unauthorized("the routing_key is not an integration key of any tenant")
        }
        return TenantIdentity(tenant: tenant, subject: "integration-key:\(integration.name)", scopes: [.alertsWrite])
    }

    private func record(_ request: Request, _ identity: TenantIdentity?, outcome: String) {
        audit?.record(
            tenant: identity?.tenant.rawValue, subject: identity?.subject, action: "\(request.method) \(request.uri.path)", outcome: outcome)
    }
}
