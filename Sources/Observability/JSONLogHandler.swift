import Foundation
import Logging

/// Writes one JSON object per line, to standard error by default: `timestamp`, `level`,
/// `label`, `message` and the metadata (such as `tenant`) as top-level fields. A request's id
/// is written as `request_id`, and the current span's trace as `trace_id` and `span_id`.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider? = .traceContext
    private let label: String
    private let write: @Sendable (Data) -> Void

    public init(label: String, write: @escaping @Sendable (Data) -> Void = { FileHandle.standardError.write($0) }) {
        self.label = label
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields: [String: String] = [:]
        for (key, value) in metadataProvider?.get() ?? [:] { fields[key] = value.description }
        for (key, value) in metadata { fields[key] = value.description }
        for (key, value) in event.metadata ?? [:] { fields[key] = value.description }
        if let requestID = fields.removeValue(forKey: "hb.request.id") { fields["request_id"] = requestID }
        fields["timestamp"] = Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["message"] = event.message.description
        guard var line = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        line.append(0x0A)
        write(line)
    }
}

extension Logger.MetadataProvider {
    /// `trace_id` and `span_id` of the current span, when a tracer runs.
    public static let traceContext = Logger.MetadataProvider {
        guard let traceparent = TraceParent.current() else { return [:] }
        let parts = traceparent.split(separator: "-")
        guard parts.count >= 3 else { return [:] }
        return ["trace_id": .string(String(parts[1])), "span_id": .string(String(parts[2]))]
    }
}
