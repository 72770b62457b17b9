import AlertCore
import Foundation
import HTTPCore
import Hummingbird
import Logging

extension AlertRoutes {
    static let maxSilenceMatchers = 32
    static let maxCommentLength = 1_000

    @Sendable func createSilence(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.silencesWrite)
        var request = request
        let body = try await collect(&request, limit: 16_384)
        let now = self.now()
        let silence = try Self.silence(from: Data(buffer: body), createdBy: identity.subject, at: now)
        try await create(silence, as: identity, logger: context.logger)
        return JSONBody(status: .created, value: SilenceView(silence, at: now))
    }

    @Sendable func listSilences(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsRead, Scope.silencesWrite)
        var wanted: Silence.State?
        if let text = request.uri.queryParameters["state"] {
            guard let state = Silence.State(rawValue: String(text)) else {
                throw Problem.badRequest("state must be pending, active or expired", field: "state")
            }
            wanted = state
        }
        let now = self.now()
        let silences = try await readStore(identity) { try await $0.silences(endingAfter: wanted == .expired ? nil : now) }
        let views = silences.map { SilenceView($0, at: now) }.filter { wanted == nil || $0.state == wanted }
        return JSONBody(value: SilenceList(silences: views))
    }

    @Sendable func showSilence(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsRead, Scope.silencesWrite)
        let id = context.parameters.get("id") ?? ""
        let silence = try await readStore(identity) { try await $0.silences(endingAfter: nil).first { $0.id == id } }
        guard let silence else { throw Problem.notFound("no silence with id \(id)") }
        return JSONBody(value: SilenceView(silence, at: now()))
    }

    /// Ends the silence now; it stays listed as expired until retention removes it.
    @Sendable func expireSilence(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.silencesWrite)
        let id = context.parameters.get("id") ?? ""
        let silence = try await expireSilence(id, as: identity, logger: context.logger)
        // Read back from a store, `endsAt` may differ from `now` in the last bits; the state
        // is judged a moment later, when the silence has ended for sure.
        return JSONBody(value: SilenceView(silence, at: max(self.now(), silence.endsAt)))
    }

    /// Stores the caller's checked silence.
    func create(_ silence: Silence, as identity: TenantIdentity, logger: Logger) async throws {
        try await readStore(identity) { try await $0.createSilence(silence) }
        logger.notice("silence created", metadata: ["silence": "\(silence.id)", "subject": "\(identity.subject)", "matchers": "\(silence.matchers)"])
    }

    /// Ends the tenant's silence now; 404 when the tenant has no silence with that id.
    func expireSilence(_ id: String, as identity: TenantIdentity, logger: Logger) async throws -> Silence {
        let silence = try await readStore(identity) { try await $0.expireSilence(id: id, at: now()) }
        guard let silence else { throw Problem.notFound("no silence with id \(id)") }
        logger.notice("silence expired", metadata: ["silence": "\(id)", "subject": "\(identity.subject)"])
        return silence
    }

    static func invalid(_ detail: String, _ field: String? = nil) -> Problem {
        Problem(status: .unprocessableContent, title: "Invalid silence", detail: detail, field: field)
    }

    /// Decodes `{"matchers": [...], "startsAt"?: "...", "endsAt": "...", "comment": "..."}`.
    static func silence(from body: Data, createdBy: String, at now: Date) throws(Problem) -> Silence {
        guard case .object(let object)? = try? JSONValue.parse(body) else {
            throw invalid("the body must be a JSON object with matchers, endsAt and comment")
        }
        guard case .array(let list)? = object["matchers"], !list.isEmpty, list.count <= maxSilenceMatchers else {
            throw invalid("matchers must be a list of 1 to \(maxSilenceMatchers) matchers", "matchers")
        }
        var matchers: [String] = []
        for (index, item) in list.enumerated() {
            guard let text = item.stringValue else { throw invalid("a matcher is a string such as service=\"checkout\"", "matchers[\(index)]") }
            matchers.append(text)
        }
        var startsAt: Date?
        if let value = object["startsAt"] {
            guard let text = value.stringValue, let date = RFC3339.date(from: text) else {
                throw invalid("startsAt must be an RFC 3339 time", "startsAt")
            }
            startsAt = date
        }
        guard let text = object["endsAt"]?.stringValue, let endsAt = RFC3339.date(from: text) else {
            throw invalid("endsAt must be an RFC 3339 time", "endsAt")
        }
        return try silence(
            matchers: matchers, startsAt: startsAt, endsAt: endsAt, comment: object["comment"]?.stringValue, createdBy: createdBy,
            at: now)
    }

    /// A new silence from its parts, checked: 1 to `maxSilenceMatchers` matchers that parse, an
    /// end after its start and after now (a start in the past is now), and a comment.
    static func silence(
        matchers texts: [String], startsAt: Date?, endsAt: Date, comment: String?, createdBy: String, at now: Date
    ) throws(Problem) -> Silence {
        guard !texts.isEmpty, texts.count <= maxSilenceMatchers else {
            throw invalid("matchers must be a list of 1 to \(maxSilenceMatchers) matchers", "matchers")
        }
        var matchers: [String] = []
        for (index, text) in texts.enumerated() {
            do {
                _ = try Matcher(parsing: text)
                matchers.append(text.trimmingCharacters(in: .whitespaces))
            } catch {
                throw invalid(error.reason, "matchers[\(index)]")
            }
        }
        let startsAt = max(startsAt ?? now, now)
        guard endsAt > startsAt else { throw invalid("endsAt must be later than startsAt and than now", "endsAt") }
        guard let comment, !comment.trimmingCharacters(in: .whitespaces).isEmpty, comment.count <= maxCommentLength
        else { throw invalid("comment must say why, in 1 to \(maxCommentLength) characters", "comment") }
        return Silence(matchers: matchers, startsAt: startsAt, endsAt: endsAt, createdBy: createdBy, comment: comment, createdAt: now)
    }
}

/// A silence as the API shows it: its stored fields and its `state` now.
struct SilenceView: Encodable {
    var silence: Silence
    var state: Silence.State

    init(_ silence: Silence, at now: Date) {
        self.silence = silence
        state = silence.state(at: now)
    }

    enum CodingKeys: String, CodingKey {
        case state
    }

    func encode(to encoder: any Encoder) throws {
        try silence.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(state, forKey: .state)
    }
}

struct SilenceList: Encodable {
    var silences: [SilenceView]
}
