import AlertCore
import Foundation
import HTTPCore
import Hummingbird

extension AlertmanagerRoutes {
    /// `GET /api/v2/silences`: every silence the store still holds, with `filter` matchers
    /// that must each equal one of the silence's matchers, as in Alertmanager.
    @Sendable func listSilences(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsRead, Scope.silencesWrite)
        var filters: [AlertmanagerMatcher] = []
        for (index, text) in request.uri.queryParameters.getAll("filter").enumerated() {
            do {
                filters.append(try Matcher(parsing: text).alertmanagerForm)
            } catch {
                throw Problem.badRequest("filter: \(error.reason)", field: "filter[\(index)]")
            }
        }
        let now = alerts.now()
        let silences = try await alerts.readStore(identity) { try await $0.silences(endingAfter: nil) }
        let views = silences.compactMap { GettableSilence($0, at: now) }.filter { silence in
            filters.allSatisfy { filter in silence.matchers.contains(filter) }
        }
        return JSONBody(value: views)
    }

    @Sendable func showSilence(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsRead, Scope.silencesWrite)
        let id = context.parameters.get("id") ?? ""
        let silence = try await alerts.readStore(identity) { try await $0.silences(endingAfter: nil).first { $0.id == id } }
        guard let silence, let view = GettableSilence(silence, at: alerts.now()) else { throw Problem.notFound("no silence with id \(id)") }
        return JSONBody(value: view)
    }

    /// `DELETE /api/v2/silence/{id}`: ends the silence now.
    @Sendable func expireSilence(_ request: Request, context: AlertdRequestContext) async throws -> Response {
        let identity = try context.require(anyOf: Scope.silencesWrite)
        let id = context.parameters.get("id") ?? ""
        let silence = try await alerts.readStore(identity) { try await $0.expireSilence(id: id, at: alerts.now()) }
        guard silence != nil else { throw Problem.notFound("no silence with id \(id)") }
        context.logger.notice("silence expired", metadata: ["silence": "\(id)", "subject": "\(identity.subject)"])
        return Response(status: .ok)
    }

    /// `POST /api/v2/silences`: a `postableSilence`. Without `id` it creates a silence; with the
    /// id of an existing one it updates it in place when Alertmanager would (same matchers, and
    /// for an active silence the same start and an end not past), and otherwise expires it and
    /// creates a new one. `createdBy` is the token's subject, whatever the body says.
    @Sendable func postSilence(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.silencesWrite)
        var request = request
        let body = try await alerts.collect(&request, limit: 16_384)
        let now = alerts.now()
        let posted = try PostableSilence.decode(Data(buffer: body))
        var silence: Silence
        do {
            silence = try AlertRoutes.silence(
                matchers: try posted.matcherTexts(), startsAt: posted.startsAt, endsAt: posted.endsAt, comment: posted.comment,
                createdBy: identity.subject, at: now)
        } catch {
            throw Problem(status: .badRequest, title: error.title, detail: error.detail, field: error.field)
        }
        guard posted.matchers.contains(where: { !$0.matchesEmpty }) else {
            throw Problem.badRequest("at least one matcher must not match the empty string, or the silence mutes everything", field: "matchers")
        }
        let outcome = try await alerts.readStore(identity) { store -> SilenceWrite in
            guard let id = posted.id else {
                try await store.createSilence(silence)
                return .created
            }
            guard let existing = try await store.silences(endingAfter: nil).first(where: { $0.id == id }) else { return .unknown }
            if existing.canBeUpdated(to: posted, at: now) {
                silence.id = id
                silence.startsAt = existing.state(at: now) == .active ? existing.startsAt : silence.startsAt
                silence.createdAt = existing.createdAt
                return try await store.updateSilence(silence) ? .updated : .unknown
            }
            _ = try await store.expireSilence(id: id, at: now)
            try await store.createSilence(silence)
            return .replaced(id)
        }
        switch outcome {
        case .unknown: throw Problem.notFound("no silence with id \(posted.id ?? "")")
        case .created, .updated, .replaced:
            context.logger.notice(
                "silence \(outcome)",
                metadata: ["silence": "\(silence.id)", "subject": "\(identity.subject)", "matchers": "\(silence.matchers)"])
        }
        return JSONBody(value: ["silenceID": silence.id])
    }
}

/// What posting a silence did.
enum SilenceWrite: CustomStringConvertible {
    case created
    case updated
    /// The silence could not change in place: the old one (this id) expired and a new one began.
    case replaced(String)
    case unknown

    var description: String {
        switch self {
        case .created: "created"
        case .updated: "updated"
        case .replaced(let old): "replaced \(old)"
        case .unknown: "unknown"
        }
    }
}

/// Alertmanager API v2 `postableSilence`.
struct PostableSilence {
    var id: String?
    var matchers: [AlertmanagerMatcher]
    var startsAt: Date?
    var endsAt: Date
    var comment: String?

    /// Reads the body; `isEqual` defaults to true and `createdBy` is not used.
    static func decode(_ body: Data) throws(Problem) -> PostableSilence {
        guard case .object(let object)? = try? JSONValue.parse(body) else {
            throw Problem.badRequest("the body must be a JSON object: a postableSilence")
        }
        var id: String?
        if let value = object["id"], value != .null {
            guard let text = value.stringValue else { throw Problem.badRequest("id must be a string", field: "id") }
            id = text.isEmpty ? nil : text
        }
        guard case .array(let list)? = object["matchers"] else {
            throw Problem.badRequest("matchers must be a list of {name, value, isRegex, isEqual}", field: "matchers")
        }
        var matchers: [AlertmanagerMatcher] = []
        for (index, item) in list.enumerated() {
            guard case .object(let fields) = item, let name = fields["name"]?.stringValue, let value = fields["value"]?.stringValue,
                case .bool(let isRegex)? = fields["isRegex"]
            else {
                throw Problem.badRequest("a matcher needs name and value (strings) and isRegex (a boolean)", field: "matchers[\(index)]")
            }
            var isEqual = true
            if let field = fields["isEqual"], field != .null {
                guard case .bool(let flag) = field else { throw Problem.badRequest("isEqual must be a boolean", field: "matchers[\(index)].isEqual") }
                isEqual = flag
            }
            matchers.append(AlertmanagerMatcher(name: name, value: value, isRegex: isRegex, isEqual: isEqual))
        }
        func time(_ name: String) throws(Problem) -> Date? {
            guard let value = object[name], value != .null else { return nil }
            guard let text = value.stringValue, let date = RFC3339.date(from: text) else {
                throw Problem.badRequest("\(name) must be an RFC 3339 time", field: name)
            }
            return date
        }
        guard let endsAt = try time("endsAt") else { throw Problem.badRequest("endsAt must be an RFC 3339 time", field: "endsAt") }
        return PostableSilence(
            id: id, matchers: matchers, startsAt: try time("startsAt"), endsAt: endsAt, comment: object["comment"]?.stringValue)
    }
}

extension PostableSilence {
    /// The matchers in alertd's text form; a name that is not a label name is refused.
    func matcherTexts() throws(Problem) -> [String] {
        var texts: [String] = []
        for (index, matcher) in matchers.enumerated() {
            do {
                texts.append(try Matcher(matcher).description)
            } catch {
                throw Problem.badRequest(error.reason, field: "matchers[\(index)]")
            }
        }
        return texts
    }
}

extension AlertmanagerMatcher {
    /// Whether the matcher holds for a label that is missing (the empty string).
    var matchesEmpty: Bool {
        (try? Matcher(self))?.matches(labels: [:], rating: nil) ?? false
    }
}

extension Silence {
    /// Whether posting `posted` with this silence's id changes it in place, by Alertmanager's
    /// rule: the same matchers, not expired, and if active a start not moved into the future
    /// (a start in the past is the one it has) and an end not past; if pending, a start not past.
    func canBeUpdated(to posted: PostableSilence, at now: Date) -> Bool {
        let same = (try? matchers.map { text throws(ConfigProblem) in try Matcher(parsing: text).alertmanagerForm }) == posted.matchers
        guard same else { return false }
        switch state(at: now) {
        case .expired: return false
        case .active: return (posted.startsAt ?? now) <= now && posted.endsAt >= now
        case .pending: return (posted.startsAt ?? now) >= now
        }
    }
}
