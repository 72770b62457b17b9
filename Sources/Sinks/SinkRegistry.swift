import AlertCore

/// The sinks alertd can deliver to, by kind. Adding a sink is one line here.
public struct SinkRegistry: ReceiverValidating {
    public let sinks: [String: any Sink]

    public init(_ sinks: [any Sink]) {
        self.sinks = Dictionary(uniqueKeysWithValues: sinks.map { ($0.kind, $0) })
    }

    /// Every sink alertd ships.
    public static let standard = SinkRegistry([
        WebhookSink(),
        SlackSink(),
        PagerDutySink(),
        JiraSink(),
        ServiceNowSink(),
        TeamsSink(),
    ])

    public var kinds: [String] { sinks.keys.sorted() }

    public func problems(kind: String, settings: JSONValue, at path: String) -> [ConfigProblem] {
        guard let sink = sinks[kind] else { return [ConfigProblem(path: path, reason: "\"\(kind)\" is not a known sink")] }
        return sink.problems(settings: settings, at: path)
    }
}
