import AlertCore
import Foundation

/// Alertmanager API v2 `gettableAlert`, with alertd's rating (`score`, `priority`) added.
struct GettableAlert: Encodable {
    var labels: [String: String]
    var annotations: [String: String]
    var receivers: [ReceiverReference]
    var fingerprint: String
    var startsAt: Date
    var updatedAt: Date
    /// RFC 3339. Alertmanager always has one; an alert posted without `endsAt` fires until
    /// resolved, which this shows as Go's zero time, what Alertmanager's clients read as unset.
    var endsAt: String
    /// Left out when the producer sent something that is not a URI (Alertmanager's spec wants one).
    var generatorURL: String?
    var status: AlertmanagerAlertStatus
    var score: Double
    var priority: Priority

    static let unsetTime = "0001-01-01T00:00:00Z"

    init(_ record: AlertRecord, receivers: [ReceiverName], mutes: MuteStatus) {
        labels = record.alert.labels
        annotations = record.alert.annotations
        self.receivers = receivers.map(ReceiverReference.init)
        fingerprint = record.fingerprint.rawValue
        startsAt = record.alert.startsAt
        updatedAt = record.lastSeenAt
        endsAt = record.alert.endsAt.map(RFC3339.string) ?? Self.unsetTime
        generatorURL = record.alert.generatorURL.flatMap { Alert.isGeneratorURL($0) ? $0 : nil }
        status = AlertmanagerAlertStatus(mutes)
        score = record.rating.score
        priority = record.rating.priority
    }
}

/// Alertmanager API v2 `alertStatus`: `suppressed` while a silence or an inhibiting alert
/// mutes it. alertd has no time intervals, so `mutedBy` stays empty.
struct AlertmanagerAlertStatus: Encodable {
    var state: String
    var silencedBy: [String]
    var inhibitedBy: [String]
    var mutedBy: [String] = []

    init(_ mutes: MuteStatus) {
        state = mutes.isMuted ? "suppressed" : "active"
        silencedBy = mutes.silencedBy
        inhibitedBy = mutes.inhibitedBy.map(\.rawValue)
    }
}

/// Alertmanager API v2 `receiver` (and `receiverReference`).
struct ReceiverReference: Encodable {
    var name: ReceiverName

    init(name: ReceiverName) {
        self.name = name
    }
}

/// Alertmanager API v2 `alertGroup`: the alerts one route sends to one receiver under one
/// set of `group_by` values.
struct AlertmanagerAlertGroup: Encodable {
    var labels: [String: String]
    /// The route's equality matchers, as labels.
    var routeLabels: [String: String]
    var receiver: ReceiverReference
    var alerts: [GettableAlert]
}

/// Alertmanager API v2 `gettableSilence`.
struct GettableSilence: Encodable {
    var id: String
    var status: State
    var updatedAt: Date
    var matchers: [AlertmanagerMatcher]
    var startsAt: Date
    var endsAt: Date
    var createdBy: String
    var comment: String
    var annotations: [String: String] = [:]

    struct State: Encodable {
        var state: Silence.State
    }

    /// Nil when a stored matcher no longer parses (it mutes nothing then).
    init?(_ silence: Silence, at now: Date) {
        var matchers: [AlertmanagerMatcher] = []
        for text in silence.matchers {
            guard let matcher = try? Matcher(parsing: text) else { return nil }
            matchers.append(matcher.alertmanagerForm)
        }
        id = silence.id
        status = State(state: silence.state(at: now))
        updatedAt = silence.createdAt
        self.matchers = matchers
        startsAt = silence.startsAt
        endsAt = silence.endsAt
        createdBy = silence.createdBy
        comment = silence.comment
    }
}

/// Alertmanager API v2 `alertmanagerStatus`, for one tenant.
struct AlertmanagerStatus: Encodable {
    var cluster = Cluster()
    var versionInfo: VersionInfo
    var config: Config
    var uptime: Date

    struct Cluster: Encodable {
        var name = ""
        var status = "disabled"
        var peers: [String] = []
    }

    /// `version` is the Alertmanager release whose API alertd speaks, so that clients that
    /// pick features by version (Karma, Grafana) treat alertd as a current Alertmanager;
    /// alertd's own version is in `revision`.
    struct VersionInfo: Encodable {
        var version = "0.34.0"
        var revision: String
        var branch = "alertd"
        var buildUser = "alertd"
        var buildDate = ""
        var goVersion = "none (alertd is written in Swift)"

        init(alertd version: String) {
            revision = "alertd \(version)"
        }
    }

    struct Config: Encodable {
        var original: String
    }
}
