import AlertCore
import Foundation
import HTTPCore
import Hummingbird

/// The alert list's query: status, label matchers, priority, source, whether muted, and the
/// page. Every part is checked; the list is filtered and paged on the server.
struct ConsoleAlertFilter {
    enum Muted: String, CaseIterable {
        case any, active, silenced, inhibited
    }

    var status = AlertStatus.firing
    var filterText = ""
    var matchers: [Matcher] = []
    var priority: Priority?
    var source = ""
    var muted = Muted.any
    var page = 1

    static let pageSize = 50
    /// The most resolved alerts a listing looks through, newest first by score order.
    static let resolvedScanLimit = 10_000

    init() {}

    init(_ parameters: ConsoleForm) throws(Problem) {
        if let text = parameters["status"], !text.isEmpty {
            guard let parsed = AlertStatus(rawValue: text) else { throw Problem.badRequest("status must be firing or resolved", field: "status") }
            status = parsed
        }
        filterText = parameters["filter"] ?? ""
        for (index, text) in Matcher.split(filterText).enumerated() {
            do {
                matchers.append(try Matcher(parsing: text))
            } catch {
                throw Problem.badRequest("label matcher \(index + 1) (\(text)): \(error.reason)", field: "filter")
            }
        }
        if let text = parameters["priority"], !text.isEmpty {
            guard let parsed = Priority(rawValue: text) else { throw Problem.badRequest("priority must be one of P1 to P5", field: "priority") }
            priority = parsed
        }
        source = (parameters["source"] ?? "").trimmingCharacters(in: .whitespaces)
        if let text = parameters["muted"], !text.isEmpty {
            guard let parsed = Muted(rawValue: text) else {
                throw Problem.badRequest("muted must be any, active, silenced or inhibited", field: "muted")
            }
            muted = parsed
        }
        if let text = parameters["page"], !text.isEmpty {
            guard let parsed = Int(text), parsed >= 1, parsed <= 10_000 else { throw Problem.badRequest("page must be a whole number from 1", field: "page") }
            page = parsed
        }
    }

    func admits(_ record: AlertRecord, mutes: MuteStatus) -> Bool {
        if let priority, record.rating.priority != priority { return false }
        if !source.isEmpty, record.alert.source != source { return false }
        switch muted {
        case .any: break
        case .active: if mutes.isMuted { return false }
        case .silenced: if mutes.silencedBy.isEmpty { return false }
        case .inhibited: if mutes.inhibitedBy.isEmpty { return false }
        }
        return matchers.matchAll(labels: record.alert.labels, rating: record.rating)
    }

    /// The URL query of this filter at `page`.
    func query(page: Int? = nil) -> String {
        var parts = ["status=\(status.rawValue)"]
        if !filterText.isEmpty { parts.append("filter=\(filterText.queryEncoded)") }
        if let priority { parts.append("priority=\(priority.rawValue)") }
        if !source.isEmpty { parts.append("source=\(source.queryEncoded)") }
        if muted != .any { parts.append("muted=\(muted.rawValue)") }
        parts.append("page=\(page ?? self.page)")
        return parts.joined(separator: "&")
    }
}
