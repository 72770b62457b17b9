import Foundation

/// Why an ingest payload was refused, with the field path of the first offending field.
public struct AlertPayloadError: Error, Sendable, Equatable {
    /// Field path such as `alerts[2].labels.alertname`; empty for the document itself.
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}
