import Foundation

/// A named notification target (`receivers:` in tenant.yaml): a sink kind and its settings,
/// or no sink at all, to discard what is routed to it.
public struct ReceiverConfig: Sendable, Equatable {
    public var name: String
    /// The sink kind, e.g. `webhook` or `slack`; `ReceiverConfig.noSink` when it has none.
    public var kind: String
    /// The sink's settings as written; the sink validates and reads them.
    public var settings: JSONValue

    public init(name: String, kind: String, settings: JSONValue) {
        self.name = name
        self.kind = kind
        self.settings = settings
    }

    /// The kind of a receiver without a sink.
    public static let noSink = "none"

    /// A receiver that discards what is routed to it, as an Alertmanager receiver without
    /// configurations does.
    public static func discarding(name: String) -> ReceiverConfig {
        ReceiverConfig(name: name, kind: noSink, settings: .null)
    }

    /// Whether notifications routed here go nowhere.
    public var discards: Bool { kind == Self.noSink }
}

/// Checks receiver settings for the sink kinds alertd knows; supplied by the sinks module.
public protocol ReceiverValidating: Sendable {
    /// Every sink kind that may appear in a receiver.
    var kinds: [String] { get }
    /// Problems with `settings` for `kind`, with paths below `path`.
    func problems(kind: String, settings: JSONValue, at path: String) -> [ConfigProblem]
}
