import Foundation

extension RatingReplay {
    /// A history file's problem: the line and what is wrong with it.
    public struct HistoryError: Error, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// Reads a history in JSON Lines: one object per line with `time` (RFC 3339), `kind`
    /// (`alert`, `ack`, `feedback`, `resolve`, `silence`), `tenant` and `alert` (the firing
    /// episode's id); an `alert` line also has `labels`, `source` and optionally
    /// `truth: {p, actionable}`; a `feedback` line has `value` (`actionable` or `noise`).
    /// Events are sorted by time, keeping the file's order for equal times.
    public static func history(_ text: String) throws(HistoryError) -> [(Date, Event)] {
        var events: [(index: Int, time: Date, event: Event)] = []
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
            guard case .object(let object)? = try? JSONValue.parse(Data(line.utf8)) else {
                throw HistoryError(line: number, reason: "is not a JSON object")
            }
            guard let text = object["time"]?.stringValue, let time = RFC3339.date(from: text) else {
                throw HistoryError(line: number, reason: "time must be an RFC 3339 time")
            }
            guard let tenant = object["tenant"]?.stringValue, let id = object["alert"]?.stringValue else {
                throw HistoryError(line: number, reason: "tenant and alert are required")
            }
            let event: Event
            switch object["kind"]?.stringValue {
            case "alert":
                guard case .object(let labelValues)? = object["labels"] else { throw HistoryError(line: number, reason: "labels are required") }
                let labels = labelValues.compactMapValues(\.stringValue)
                var truth: Truth?
                if case .object(let fields)? = object["truth"], case .number(let p)? = fields["p"], case .bool(let actionable)? = fields["actionable"] {
                    truth = Truth(probability: p, actionable: actionable)
                }
                event = .alert(id: id, tenant: tenant, alert: Alert(labels: labels, source: object["source"]?.stringValue, startsAt: time), truth: truth)
            case "ack": event = .acknowledged(id: id, tenant: tenant)
            case "resolve": event = .resolved(id: id, tenant: tenant)
            case "silence": event = .silenced(id: id, tenant: tenant)
            case "feedback":
                guard let kind = object["value"]?.stringValue.flatMap(FeedbackKind.init(rawValue:)) else {
                    throw HistoryError(line: number, reason: "value must be actionable or noise")
                }
                event = .feedback(id: id, tenant: tenant, kind)
            default:
                throw HistoryError(line: number, reason: "kind must be alert, ack, feedback, resolve or silence")
            }
            events.append((events.count, time, event))
        }
        return events.sorted { ($0.time, $0.index) < ($1.time, $1.index) }.map { ($0.time, $0.event) }
    }
}
