import Foundation

/// Whether an alert is still firing.
public enum AlertStatus: String, Sendable, Codable, CaseIterable {
    case firing
    case resolved
}

/// One alert as every ingest format decodes it.
public struct Alert: Sendable, Codable, Equatable {
    public var labels: [String: String]
    public var annotations: [String: String]
    /// Who produced the alert; rates the source's reliability. Never empty: the first
    /// non-empty of the given source, the `source` label and the `job` label, else `unknown`.
    public var source: String
    public var startsAt: Date
    public var endsAt: Date?
    public var generatorURL: String?

    public init(
        labels: [String: String],
        annotations: [String: String] = [:],
        source: String? = nil,
        startsAt: Date,
        endsAt: Date? = nil,
        generatorURL: String? = nil
    ) {
        self.labels = labels
        self.annotations = annotations
        if let source, !source.isEmpty {
            self.source = source
        } else if let label = labels["source"], !label.isEmpty {
            self.source = label
        } else if let job = labels["job"], !job.isEmpty {
            self.source = job
        } else {
            self.source = "unknown"
        }
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.generatorURL = generatorURL
    }

    public var fingerprint: Fingerprint { Fingerprint(labels: labels) }

    /// `alertname`, which every format requires.
    public var name: String { labels["alertname"] ?? "" }

    /// The group whose response history rates this alert: alertname and service.
    public var responseGroup: String { "\(name)/\(labels["service"] ?? "")" }

    /// Firing unless `endsAt` lies at or before `now`.
    public func status(at now: Date) -> AlertStatus {
        guard let endsAt else { return .firing }
        return endsAt <= now ? .resolved : .firing
    }
}
