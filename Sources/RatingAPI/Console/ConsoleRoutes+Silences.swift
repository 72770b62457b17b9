import AlertCore
import Foundation
import HTTPCore
import Hummingbird

extension ConsoleRoutes {
    @Sendable func silencesPage(_ request: Request, context: AlertdRequestContext) async throws -> ConsolePage<SilencesContent> {
        let identity = try context.require(anyOf: Scope.alertsRead, Scope.silencesWrite)
        let session = try session(context)
        var state = Silence.State.active
        if let text = request.consoleQuery("state"), !text.isEmpty {
            guard let parsed = Silence.State(rawValue: text) else { throw Problem.badRequest("state must be pending, active or expired", field: "state") }
            state = parsed
        }
        let now = alerts.now()
        let silences = try await alerts.readStore(identity) { try await $0.silences(endingAfter: state == .expired ? nil : now) }
            .filter { $0.state(at: now) == state }
        let content = SilencesContent(
            state: state.rawValue,
            states: [Silence.State.active, .pending, .expired].map { ConsoleOption(value: $0.rawValue, label: $0.rawValue, selected: $0 == state) },
            canSilence: session.has(Scope.silencesWrite),
            silences: silences.map { SilencesContent.Row($0, canExpire: session.has(Scope.silencesWrite) && state != .expired, now: now) })
        return try page(
            "silences", title: "Silences", section: .silences, context: context, content: content,
            flash: request.consoleQuery("done").flatMap { Self.silenceDoneText[$0] })
    }

    /// The new-silence form, prefilled from the query.
    @Sendable func newSilencePage(_ request: Request, context: AlertdRequestContext) async throws -> ConsolePage<SilenceFormContent> {
        _ = try context.require(anyOf: Scope.silencesWrite)
        let parameters = request.consoleQueryForm
        let content = SilenceFormContent(
            matchers: parameters["matchers"] ?? "", duration: parameters["duration"] ?? "2h", comment: parameters["comment"] ?? "")
        return try page("silence-form", title: "New silence", section: .silences, context: context, content: content)
    }

    /// The new-silence form as posted, with the firing alerts it would mute now.
    @Sendable func previewSilence(_ request: Request, context: AlertdRequestContext) async throws -> ConsolePage<SilenceFormContent> {
        let identity = try context.require(anyOf: Scope.silencesWrite)
        let form = form(context)
        var content = SilenceFormContent(matchers: form["matchers"] ?? "", duration: form["duration"] ?? "", comment: form["comment"] ?? "")
        var matchers: [Matcher] = []
        for (index, text) in content.lines.enumerated() {
            do {
                matchers.append(try Matcher(parsing: text))
            } catch {
                return try page(
                    "silence-form", title: "New silence", section: .silences, context: context, content: content,
                    error: "matcher \(index + 1) (\(text)): \(error.reason)", status: .unprocessableContent)
            }
        }
        let config = try alerts.tenant(identity)
        let firing = try await alerts.firingAlerts(identity, config: config).alerts
        let muted = matchers.isEmpty ? [] : firing.filter { matchers.matchAll(labels: $0.alert.labels, rating: $0.rating) }
        content.previewed = true
        content.preview = muted.prefix(100).map { SilenceFormContent.PreviewRow(fingerprint: $0.fingerprint.rawValue, name: $0.alert.name, labelText: $0.alert.consoleLabelText) }
        content.previewCount =
            muted.count == 1 ? "It would mute 1 firing alert." : "It would mute \(muted.count) firing alerts\(muted.count > 100 ? "; the first 100 are listed" : "")."
        return try page("silence-form", title: "New silence", section: .silences, context: context, content: content)
    }

    @Sendable func createSilence(_ request: Request, context: AlertdRequestContext) async throws -> Response {
        let identity = try context.require(anyOf: Scope.silencesWrite)
        let form = form(context)
        let content = SilenceFormContent(matchers: form["matchers"] ?? "", duration: form["duration"] ?? "", comment: form["comment"] ?? "")
        let now = alerts.now()
        do {
            guard let seconds = DurationText.seconds(content.duration.trimmingCharacters(in: .whitespaces)), seconds > 0 else {
                throw AlertRoutes.invalid("duration must be a duration such as 30m, 2h or 1d", "duration")
            }
            let silence = try AlertRoutes.silence(
                matchers: content.lines, startsAt: nil, endsAt: now.addingTimeInterval(seconds), comment: content.comment,
                createdBy: identity.subject, at: now)
            try await alerts.create(silence, as: identity, logger: context.logger)
        } catch let problem as Problem where problem.status == .unprocessableContent {
            return try page(
                "silence-form", title: "New silence", section: .silences, context: context, content: content, error: problem.detail,
                status: .unprocessableContent
            ).response(from: request, context: context)
        }
        return Self.redirect(to: "/ui/silences?state=active&done=created")
    }

    @Sendable func expireSilence(_ request: Request, context: AlertdRequestContext) async throws -> Response {
        let identity = try context.require(anyOf: Scope.silencesWrite)
        _ = try await alerts.expireSilence(context.parameters.get("id") ?? "", as: identity, logger: context.logger)
        return Self.redirect(to: "/ui/silences?state=expired&done=expired")
    }

    static let silenceDoneText = ["created": "Silence created.", "expired": "Silence expired."]
}

/// The silences page.
struct SilencesContent {
    var state: String
    var states: [ConsoleOption]
    var canSilence: Bool
    var silences: [Row]

    struct Row {
        var id: String
        var matchers: String
        var state: String
        var startsAt: ConsoleTime
        var endsAt: ConsoleTime
        var createdBy: String
        var comment: String
        var canExpire: Bool

        init(_ silence: Silence, canExpire: Bool, now: Date) {
            id = silence.id
            matchers = silence.matchers.joined(separator: ", ")
            state = silence.state(at: now).rawValue
            startsAt = ConsoleTime(silence.startsAt, now: now)
            endsAt = ConsoleTime(silence.endsAt, now: now)
            createdBy = silence.createdBy
            comment = silence.comment
            self.canExpire = canExpire
        }
    }
}

/// The new-silence form, as typed.
struct SilenceFormContent {
    var matchers: String
    var duration: String
    var comment: String
    var previewed = false
    var previewCount = ""
    var preview: [PreviewRow] = []

    struct PreviewRow {
        var fingerprint: String
        var name: String
        var labelText: String
    }

    init(matchers: String, duration: String, comment: String) {
        self.matchers = matchers
        self.duration = duration
        self.comment = comment
    }

    /// The matchers, one per non-empty line.
    var lines: [String] {
        matchers.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
