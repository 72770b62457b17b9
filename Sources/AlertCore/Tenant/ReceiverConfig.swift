import Foundation

/// A named notification target (`receivers:` in tenant.yaml): a sink kind and its settings,
/// or no sink at all, to discard what is routed to it.
public struct ReceiverConfig: Sendable, Equatable {
    public var name: ReceiverName
    /// The sink kind, e.g. `webhook` or `slack`; `ReceiverConfig.noSink` when it has none.
    public var kind: String
    /// The sink's settings as written (what `tenants diff` compares).
    public var settings: JSONValue
    /// The same settings as the sink read them when the tenant loaded: typed, checked, with
    /// every default filled in. Nil for a receiver without a sink.
    public var sink: (any ReceiverSettings)?

    public init(name: ReceiverName, kind: String, settings: JSONValue, sink: (any ReceiverSettings)?) {
        self.name = name
        self.kind = kind
        self.settings = settings
        self.sink = sink
    }

    /// The kind of a receiver without a sink.
    public static let noSink = "none"

    /// A receiver that discards what is routed to it, as an Alertmanager receiver without
    /// configurations does.
    public static func discarding(name: ReceiverName) -> ReceiverConfig {
        ReceiverConfig(name: name, kind: noSink, settings: .null, sink: nil)
    }

    /// Whether notifications routed here go nowhere.
    public var discards: Bool { kind == Self.noSink }

    /// Whether the receiver is told that alerts resolved (`send_resolved`, true by default).
    public var sendsResolved: Bool { sink?.sendResolved ?? true }

    /// Equal when the name, kind and written settings are: the typed settings follow from them.
    public static func == (lhs: ReceiverConfig, rhs: ReceiverConfig) -> Bool {
        lhs.name == rhs.name && lhs.kind == rhs.kind && lhs.settings == rhs.settings
    }
}

/// A sink's settings for one receiver, read once when the tenant loads. Each sink has its own
/// type; the sink that made them is the one that reads them at delivery.
public protocol ReceiverSettings: Sendable {
    /// Whether the receiver wants to hear that alerts resolved.
    var sendResolved: Bool { get }
}

/// Reads receiver settings for the sink kinds alertd knows; supplied by the sinks module.
public protocol ReceiverValidating: Sendable {
    /// Every sink kind that may appear in a receiver.
    var kinds: [String] { get }
    /// `settings` for `kind` as the sink reads them, or the problems with them, with paths
    /// below `path`.
    func read(kind: String, settings: JSONValue, at path: String) -> Result<any ReceiverSettings, ConfigProblems>
}
