import Instrumentation
import ServiceContextModule

/// The W3C trace context as its `traceparent` text, the form in which it travels through the
/// ledger, Kafka headers and the outbox between the spans of one alert.
public enum TraceParent {
    /// The `traceparent` of the current span, nil when no tracer runs or no span is active.
    public static func current() -> String? {
        guard let context = ServiceContext.current else { return nil }
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: TextMapCarrier())
        return carrier["traceparent"]
    }

    /// The current span's `traceparent` or, when no tracer runs, `carried` (what a producer,
    /// a Kafka record or a stored notification brought) if it is well formed.
    public static func current(orCarried carried: String?) -> String? {
        current() ?? validated(carried)
    }

    /// A context whose parent span is `traceparent`; top level when it is nil or not understood.
    public static func context(_ traceparent: String?) -> ServiceContext {
        var context = ServiceContext.topLevel
        if let traceparent {
            InstrumentationSystem.instrument.extract(["traceparent": traceparent], into: &context, using: TextMapCarrier())
        }
        return context
    }

    /// `text` when it is a well-formed `traceparent` (version, 32-hex trace id, 16-hex parent
    /// id, 2-hex flags; all-zero ids are invalid), else nil.
    public static func validated(_ text: String?) -> String? {
        guard let text, text.utf8.count <= 256 else { return nil }
        let parts = text.lowercased().split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 2, parts[0] != "ff", parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
            parts.prefix(4).allSatisfy({ $0.allSatisfy(\.isHexDigit) }),
            parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" })
        else { return nil }
        return text.lowercased()
    }
}

/// Reads and writes trace headers in a string map.
struct TextMapCarrier: Injector, Extractor {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }

    func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key]
    }
}
