import Foundation

/// Decodes alertd's native format: one alert object or `{"alerts": [...]}`.
///
/// An alert is `{"labels": {...}, "annotations": {...}, "source": "...", "startsAt": "...",
/// "endsAt": "...", "generatorURL": "..."}`; `labels.alertname` is required, label names follow
/// Prometheus (`[a-zA-Z_][a-zA-Z0-9_]*`), times are RFC 3339.
public struct NativeAlertDecoder: Sendable {
    /// More alerts than this in one document are refused.
    public var maxBatchSize: Int

    public init(maxBatchSize: Int) {
        self.maxBatchSize = maxBatchSize
    }

    /// The body as JSON, or the error every ingest format reports for a body that is not.
    public static func document(_ body: Data) throws(AlertPayloadError) -> JSONValue {
        do {
            return try JSONValue.parse(body)
        } catch {
            throw AlertPayloadError(path: "", reason: "the body is not valid JSON")
        }
    }

    public func decode(_ body: Data, receivedAt now: Date) throws(AlertPayloadError) -> [Alert] {
        try decode(document: try Self.document(body), receivedAt: now)
    }

    /// Decodes a body already parsed as JSON.
    public func decode(document: JSONValue, receivedAt now: Date) throws(AlertPayloadError) -> [Alert] {
        guard case .object(let object) = document else {
            throw AlertPayloadError(path: "", reason: "must be an alert object or {\"alerts\": [...]}, not \(document.typeName)")
        }
        if let batch = object["alerts"] {
            guard object.count == 1 else {
                throw AlertPayloadError(path: "", reason: "a batch has only the field \"alerts\"")
            }
            guard case .array(let items) = batch else {
                throw AlertPayloadError(path: "alerts", reason: "must be a list of alerts, not \(batch.typeName)")
            }
            guard !items.isEmpty else { throw AlertPayloadError(path: "alerts", reason: "must hold at least one alert") }
            guard items.count <= maxBatchSize else {
                throw AlertPayloadError(path: "alerts", reason: "holds \(items.count) alerts; at most \(maxBatchSize) are accepted")
            }
            var alerts: [Alert] = []
            alerts.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                alerts.append(try decodeAlert(item, at: "alerts[\(index)]", now: now))
            }
            return alerts
        }
        return [try decodeAlert(document, at: "", now: now)]
    }

    /// The fields of a native alert.
    static let alertFields: Set<String> = ["labels", "annotations", "source", "startsAt", "endsAt", "generatorURL"]

    /// Decodes one alert object at `path`. Fields outside `known` are refused; a time before
    /// 1970 (Go's zero time, which Alertmanager sends for "not ended") counts as unset.
    func decodeAlert(
        _ value: JSONValue, at path: String, now: Date, known: Set<String> = alertFields
    ) throws(AlertPayloadError) -> Alert {
        func field(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
        guard case .object(let object) = value else {
            throw AlertPayloadError(path: path, reason: "must be an alert object, not \(value.typeName)")
        }
        if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw AlertPayloadError(path: field(unknown), reason: "is not a field of an alert")
        }
        let labels = try stringMap(object["labels"], at: field("labels"), labelNames: true)
        guard let alertname = labels["alertname"], !alertname.isEmpty else {
            throw AlertPayloadError(path: field("labels.alertname"), reason: "is required")
        }
        let annotations = try stringMap(object["annotations"], at: field("annotations"), labelNames: false)
        let source = try optionalString(object["source"], at: field("source"))
        if let source, source.isEmpty { throw AlertPayloadError(path: field("source"), reason: "must not be empty") }
        let endsAt = try optionalDate(object["endsAt"], at: field("endsAt"))
        // Without startsAt an alert starts now, or when it ended if that is past: an alert
        // re-sent with only endsAt resolves, as in Alertmanager.
        let startsAt = try optionalDate(object["startsAt"], at: field("startsAt")) ?? min(endsAt ?? now, now)
        if let endsAt, endsAt < startsAt {
            throw AlertPayloadError(path: field("endsAt"), reason: "lies before startsAt")
        }
        let generatorURL = try optionalString(object["generatorURL"], at: field("generatorURL"))
        return Alert(
            labels: labels, annotations: annotations, source: source, startsAt: startsAt, endsAt: endsAt,
            generatorURL: generatorURL)
    }

    private func stringMap(_ value: JSONValue?, at path: String, labelNames: Bool) throws(AlertPayloadError) -> [String: String] {
        guard let value, value != .null else {
            if labelNames { throw AlertPayloadError(path: path, reason: "is required") }
            return [:]
        }
        guard case .object(let object) = value else {
            throw AlertPayloadError(path: path, reason: "must be an object of strings, not \(value.typeName)")
        }
        var map: [String: String] = [:]
        for (key, entry) in object {
            if labelNames, !Self.isLabelName(key) {
                throw AlertPayloadError(path: "\(path).\(key)", reason: "is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*)")
            }
            guard case .string(let text) = entry else {
                throw AlertPayloadError(path: "\(path).\(key)", reason: "must be a string, not \(entry.typeName)")
            }
            map[key] = text
        }
        return map
    }

    private func optionalString(_ value: JSONValue?, at path: String) throws(AlertPayloadError) -> String? {
        guard let value, value != .null else { return nil }
        guard case .string(let text) = value else {
            throw AlertPayloadError(path: path, reason: "must be a string, not \(value.typeName)")
        }
        return text
    }

    private func optionalDate(_ value: JSONValue?, at path: String) throws(AlertPayloadError) -> Date? {
        guard let text = try optionalString(value, at: path) else { return nil }
        guard let date = RFC3339.date(from: text) else {
            throw AlertPayloadError(path: path, reason: "\"\(text)\" is not an RFC 3339 time")
        }
        return Self.setTime(date)
    }

    /// `date` as an alert's time: one before 1970 (Go's zero time, which Alertmanager sends
    /// for "not ended") counts as unset, in every ingest format.
    static func setTime(_ date: Date?) -> Date? {
        guard let date, date.timeIntervalSince1970 >= 0 else { return nil }
        return date
    }

    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first == UInt8(ascii: "_") || (first | 0x20) >= 97 && (first | 0x20) <= 122 else {
            return false
        }
        return name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (byte >= 48 && byte <= 57) || ((byte | 0x20) >= 97 && (byte | 0x20) <= 122)
        }
    }
}
