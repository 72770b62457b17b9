import AlertCore
import Foundation

/// ServiceNow incidents through the Table API: one incident per alert group, its
/// `correlation_id` the group's id (`alertd-` and 16 hex digits). A notification looks up the
/// active incident with that correlation id that is not already resolved; while the group
/// fires it creates one when there is none (urgency and impact from the lead alert's priority,
/// so that ServiceNow's default priority matrix gives the same priority: P1 1/1, P2 1/2, P3
/// 2/2, P4 3/2, P5 3/3 as urgency/impact) and otherwise adds a work note with the group's
/// alerts; once the group has resolved it sets `resolve_state`, `close_code` and
/// `close_notes`. A resolve with no open incident does nothing. 400, 401, 403 and 404 are not
/// retried; 429 (with `Retry-After`) and 5xx are.
///
/// Settings: `instance_url` (e.g. `https://acme.service-now.com`), `username` and `password`
/// (a secret reference; Basic authentication), optional `assignment_group`, `caller_id` and
/// `category` for new incidents, `resolve_state` (default `6`, Resolved), `close_code`
/// (default `Solution provided`), `close_notes` and `send_resolved` (default true).
public struct ServiceNowSink: Sink {
    public let kind = "servicenow"
    static let defaultResolveState = "6"
    static let defaultCloseCode = "Solution provided"
    static let defaultCloseNotes = "Resolved by alertd: every alert of the group has resolved."

    public init() {}

    public struct Settings: ReceiverSettings, Equatable {
        /// The instance (or a secret reference to it), e.g. `https://acme.service-now.com`.
        public var instanceURL: String
        public var username: String
        /// A secret reference to the password.
        public var password: String
        public var assignmentGroup: String?
        public var callerID: String?
        public var category: String?
        public var resolveState: String
        public var closeCode: String
        public var closeNotes: String
        public var sendResolved: Bool
    }

    public func read(_ settings: JSONValue, at path: String) -> Result<Settings, ConfigProblems> {
        let (object, problems) = SinkSettings.object(
            settings, at: path,
            allowed: [
                "instance_url", "username", "password", "assignment_group", "caller_id", "category", "resolve_state", "close_code",
                "close_notes", "send_resolved",
            ],
            required: ["instance_url", "username", "password"])
        var more: [ConfigProblem] = []
        for key in ["username", "assignment_group", "caller_id", "category", "close_code", "close_notes"] {
            if let value = object[key], value.stringValue?.trimmingCharacters(in: .whitespaces).isEmpty != false {
                more.append(ConfigProblem(path: "\(path).\(key)", reason: "must be a non-empty string"))
            }
        }
        if let state = object["resolve_state"], Self.text(state).map({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && Int($0) != nil }) != true {
            more.append(ConfigProblem(path: "\(path).resolve_state", reason: "must be an incident state value such as 6"))
        }
        let all =
            problems + more + SinkSettings.urlProblems(object["instance_url"], at: "\(path).instance_url")
            + SinkSettings.secretProblems(object["password"], at: "\(path).password")
            + SinkSettings.boolProblems(object["send_resolved"], at: "\(path).send_resolved")
        return SinkSettings.read(all) {
            Settings(
                instanceURL: object["instance_url"]?.stringValue ?? "", username: object["username"]?.stringValue ?? "",
                password: object["password"]?.stringValue ?? "", assignmentGroup: object["assignment_group"]?.stringValue,
                callerID: object["caller_id"]?.stringValue, category: object["category"]?.stringValue,
                resolveState: object["resolve_state"].flatMap(Self.text) ?? Self.defaultResolveState,
                closeCode: object["close_code"]?.stringValue ?? Self.defaultCloseCode,
                closeNotes: object["close_notes"]?.stringValue ?? Self.defaultCloseNotes, sendResolved: SinkSettings.sendResolved(object))
        }
    }

    public func deliver(_ notification: AlertNotification, settings: Settings, secrets: SecretResolver, http: SinkHTTP) async throws(DeliveryFailure)
        -> Int
    {
        let api = try ServiceNowAPI(settings: settings, secrets: secrets)
        let resolveState = settings.resolveState
        let found = try await http.send(api.findOpen(correlationID: notification.groupID, resolvedState: resolveState))
        let existing = try ServiceNowAPI.firstSysID(in: found.body)
        switch (existing, notification.status) {
        case (nil, .resolved):
            return found.status
        case (nil, .firing):
            let (urgency, impact) = ServiceNowAPI.urgencyAndImpact(notification.lead.rating.priority)
            let incident = ServiceNowAPI.NewIncident(
                short_description: ServiceNowText.shortDescription(notification), description: ServiceNowText.description(notification),
                correlation_id: notification.groupID, urgency: urgency, impact: impact,
                assignment_group: settings.assignmentGroup, caller_id: settings.callerID, category: settings.category)
            return try await http.send(api.create(incident)).status
        case (let sysID?, .firing):
            return try await http.send(api.update(sysID, with: ServiceNowAPI.WorkNote(work_notes: ServiceNowText.workNote(notification)))).status
        case (let sysID?, .resolved):
            let resolution = ServiceNowAPI.Resolution(
                state: resolveState, close_code: settings.closeCode, close_notes: settings.closeNotes,
                work_notes: ServiceNowText.workNote(notification))
            return try await http.send(api.update(sysID, with: resolution)).status
        }
    }

    /// A setting given as a string or a whole number, as text.
    static func text(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let number) where number == number.rounded() && abs(number) < 1e9: String(Int(number))
        default: nil
        }
    }
}
