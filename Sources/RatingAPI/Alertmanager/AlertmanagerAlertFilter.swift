import AlertCore
import Foundation
import HTTPCore
import Hummingbird

/// The query of `GET /api/v2/alerts` and `/alerts/groups`: `filter` matchers (all must
/// hold), `receiver` (a regex one of the alert's receivers must match in full), and whether
/// `active`, `silenced`, `inhibited`, `muted` and `unprocessed` alerts are shown (default
/// true). alertd routes every stored alert and has no time intervals, so no alert is
/// unprocessed or muted by time; those two flags are checked and change nothing.
struct AlertmanagerAlertFilter {
    var matchers: [Matcher] = []
    var receiver: ReceiverPattern?
    var active = true
    var silenced = true
    var inhibited = true

    init(_ parameters: Parameters) throws(Problem) {
        for (index, text) in parameters.getAll("filter").enumerated() {
            do {
                matchers.append(try Matcher(parsing: text))
            } catch {
                throw Problem.badRequest("filter: \(error.reason)", field: "filter[\(index)]")
            }
        }
        if let text = parameters.get("receiver") {
            receiver = try ReceiverPattern(String(text))
        }
        active = try Self.flag(parameters, "active")
        silenced = try Self.flag(parameters, "silenced")
        inhibited = try Self.flag(parameters, "inhibited")
        for name in ["muted", "unprocessed"] { _ = try Self.flag(parameters, name) }
    }

    /// Whether an alert with `status` is shown, by Alertmanager's rules.
    func admits(_ status: MuteStatus) -> Bool {
        if !active, !status.isMuted { return false }
        if !silenced, !status.silencedBy.isEmpty { return false }
        if !inhibited, !status.inhibitedBy.isEmpty { return false }
        return true
    }

    private static func flag(_ parameters: Parameters, _ name: String) throws(Problem) -> Bool {
        guard let text = parameters.get(name) else { return true }
        switch text.lowercased() {
        case "true", "1": return true
        case "false", "0": return false
        default: throw Problem.badRequest("\(name) must be true or false", field: name)
        }
    }
}

/// A receiver regex, anchored at both ends as Alertmanager anchors it.
struct ReceiverPattern: @unchecked Sendable {
    let regex: NSRegularExpression

    init(_ pattern: String) throws(Problem) {
        do {
            regex = try NSRegularExpression(pattern: "^(?:\(pattern))$")
        } catch {
            throw Problem.badRequest("receiver must be a regular expression", field: "receiver")
        }
    }

    func matches(_ receiver: ReceiverName) -> Bool {
        let name = receiver.rawValue
        return regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
    }
}
