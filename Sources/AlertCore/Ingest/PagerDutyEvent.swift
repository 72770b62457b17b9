import Foundation

/// One PagerDuty Events API v2 alert event (`POST /v2/enqueue`): a trigger, or an
/// acknowledge / resolve of the open alert with the same `dedup_key`.
public struct PagerDutyEvent: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable {
        case trigger
        case acknowledge
        case resolve
    }

    /// What a trigger reports (`payload`).
    public struct Payload: Sendable, Equatable {
        public var summary: String
        public var source: String
        public var severity: String
        public var timestamp: Date?
        public var component: String?
        public var group: String?
        public var eventClass: String?
        /// `custom_details` as compact JSON.
        public var details: String?
    }

    public var routingKey: String
    public var action: Action
    public var dedupKey: String?
    /// Present for a trigger only.
    public var payload: Payload?
    public var clientURL: String?
    /// The first of `links` (each must have an `href`).
    public var link: String?

    public static let severities = ["critical", "error", "warning", "info"]
    /// The label that carries an alert's `dedup_key`.
    public static let dedupKeyLabel = "dedup_key"
    /// PagerDuty's own limits.
    public static let maxDedupKeyLength = 255
    public static let maxSummaryLength = 1_024

    /// Decodes and checks an event as PagerDuty does: `routing_key` and `event_action` always,
    /// `dedup_key` for acknowledge and resolve, and `payload.summary`, `payload.source` and
    /// `payload.severity` for a trigger. Errors name the field.
    public static func decode(_ body: Data) throws(AlertPayloadError) -> PagerDutyEvent {
        guard case .object(let object) = try NativeAlertDecoder.document(body) else {
            throw AlertPayloadError(path: "", reason: "must be a PagerDuty Events API v2 event object")
        }
        let routingKey = try text(object["routing_key"], at: "routing_key", required: true) ?? ""
        let actionText = try text(object["event_action"], at: "event_action", required: true) ?? ""
        guard let action = Action(rawValue: actionText) else {
            throw AlertPayloadError(path: "event_action", reason: "must be trigger, acknowledge or resolve (change events go to /v2/change/enqueue)")
        }
        let dedupKey = try text(object["dedup_key"], at: "dedup_key", required: action != .trigger)
        if let dedupKey, dedupKey.count > maxDedupKeyLength {
            throw AlertPayloadError(path: "dedup_key", reason: "is \(dedupKey.count) characters; at most \(maxDedupKeyLength) are allowed")
        }
        var event = PagerDutyEvent(
            routingKey: routingKey, action: action, dedupKey: dedupKey, payload: nil,
            clientURL: try text(object["client_url"], at: "client_url", required: false), link: try firstLink(object["links"]))
        guard action == .trigger else { return event }
        guard case .object(let payload) = object["payload"] else {
            throw AlertPayloadError(path: "payload", reason: "is required for a trigger and must be an object")
        }
        let severity = try text(payload["severity"], at: "payload.severity", required: true) ?? ""
        guard severities.contains(severity) else {
            throw AlertPayloadError(path: "payload.severity", reason: "must be critical, error, warning or info")
        }
        var timestamp: Date?
        if let stamp = try text(payload["timestamp"], at: "payload.timestamp", required: false) {
            guard let date = Self.timestamp(stamp) else {
                throw AlertPayloadError(path: "payload.timestamp", reason: "must be an ISO 8601 timestamp such as 2015-07-17T08:42:58.315+0000")
            }
            timestamp = date
        }
        var details: String?
        if let custom = payload["custom_details"], custom != .null {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            details = (try? encoder.encode(custom)).map { String(decoding: $0, as: UTF8.self) }
        }
        event.payload = Payload(
            summary: String((try text(payload["summary"], at: "payload.summary", required: true) ?? "").prefix(maxSummaryLength)),
            source: try text(payload["source"], at: "payload.source", required: true) ?? "",
            severity: severity, timestamp: timestamp,
            component: try text(payload["component"], at: "payload.component", required: false),
            group: try text(payload["group"], at: "payload.group", required: false),
            eventClass: try text(payload["class"], at: "payload.class", required: false), details: details)
        return event
    }

    /// The alert a trigger reports. Its labels: `alertname` (the event's class, else its
    /// summary), `severity`, `instance` (the source), `service` (the group), `component`, and
    /// `dedup_key`, which is what later events of the alert name it by. It starts at the
    /// payload's `timestamp`; one in the future starts now, and one before 1970 counts as unset
    /// (`NativeAlertDecoder.setTime`), as in the other ingest formats.
    public func alert(dedupKey: String, source: String, receivedAt now: Date) -> Alert? {
        guard let payload else { return nil }
        var labels = ["alertname": payload.eventClass ?? payload.summary, "severity": payload.severity, Self.dedupKeyLabel: dedupKey]
        labels["instance"] = payload.source
        labels["service"] = payload.group
        labels["component"] = payload.component
        var annotations = ["summary": payload.summary]
        annotations["details"] = payload.details
        annotations["link"] = link
        return Alert(
            labels: labels, annotations: annotations, source: source,
            startsAt: min(NativeAlertDecoder.setTime(payload.timestamp) ?? now, now), generatorURL: clientURL)
    }

    /// RFC 3339, or ISO 8601 with a `+hhmm` offset as in PagerDuty's examples.
    static func timestamp(_ text: String) -> Date? {
        if let date = RFC3339.date(from: text) { return date }
        let bytes = Array(text.utf8)
        guard bytes.count > 5, [UInt8(ascii: "+"), UInt8(ascii: "-")].contains(bytes[bytes.count - 5]) else { return nil }
        return RFC3339.date(from: String(text.dropLast(2)) + ":" + String(text.suffix(2)))
    }

    /// A non-blank string, nil when absent (or null) and not required.
    private static func text(_ value: JSONValue?, at path: String, required: Bool) throws(AlertPayloadError) -> String? {
        switch value {
        case .string(let text) where !text.trimmingCharacters(in: .whitespaces).isEmpty: return text
        case .string: throw AlertPayloadError(path: path, reason: "must not be blank")
        case nil, .null?:
            if required { throw AlertPayloadError(path: path, reason: "is required") }
            return nil
        case let other?: throw AlertPayloadError(path: path, reason: "must be a string, not \(other.typeName)")
        }
    }

    private static func firstLink(_ value: JSONValue?) throws(AlertPayloadError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .array(let links)?:
            var hrefs: [String] = []
            for (index, item) in links.enumerated() {
                guard case .object(let link) = item else { throw AlertPayloadError(path: "links[\(index)]", reason: "must be an object") }
                hrefs += [try text(link["href"], at: "links[\(index)].href", required: true)].compactMap { $0 }
            }
            return hrefs.first
        case let other?: throw AlertPayloadError(path: "links", reason: "must be a list of links, not \(other.typeName)")
        }
    }
}
