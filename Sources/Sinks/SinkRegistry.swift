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

    public func read(kind: String, settings: JSONValue, at path: String) -> Result<any ReceiverSettings, ConfigProblems> {
        guard let sink = sinks[kind] else { return .failure(ConfigProblems([ConfigProblem(path: path, reason: "\"\(kind)\" is not a known sink")])) }
        return sink.readSettings(settings, at: path)
    }

    /// A receiver of `kind` with `settings` as tenant.yaml would give it, read by its sink.
    public func receiver(named name: ReceiverName, kind: String, settings: JSONValue) throws(ConfigProblems) -> ReceiverConfig {
        ReceiverConfig(name: name, kind: kind, settings: settings, sink: try read(kind: kind, settings: settings, at: name.rawValue).get())
    }
}
