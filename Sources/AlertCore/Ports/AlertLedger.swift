import Foundation

/// A tenant's alerts and the ledger of their events: what arrived, how it was rated, who
/// acknowledged or resolved it, the feedback on it, and which events routing has not taken yet.
public protocol AlertLedger: Sendable {
    var tenant: TenantID { get }

    /// Stores rated alerts and appends one ledger event per new or changed alert, all in one
    /// transaction: on error nothing is stored. A repeated firing alert updates its row. A
    /// firing alert that resolves unacknowledged counts as a missed response in its group's
    /// history under `policy`.
    func record(_ alerts: [RatedAlert], at now: Date, policy: RatingPolicy) async throws -> [AlertEvent]

    func alert(_ fingerprint: Fingerprint) async throws -> AlertRecord?

    func alerts(_ query: AlertQuery) async throws -> AlertPage

    /// The most recently seen firing alert whose label `name` is `value`.
    func firingAlert(labelled name: String, _ value: String) async throws -> AlertRecord?

    /// How many alerts are firing, and which of `fingerprints` are.
    func firing(among fingerprints: [Fingerprint]) async throws -> FiringAlerts

    /// Marks the alert acknowledged (the first acknowledgement stays). Acknowledging a firing
    /// alert adds its response time to its group's history, measured from the first delivered
    /// notification that named the alert in its current episode, else from when it was
    /// received (`AlertRecord.acknowledged(by:at:firstNotifiedAt:)`); acknowledging a resolved
    /// alert is kept on the alert only.
    func acknowledge(_ fingerprint: Fingerprint, by subject: String, at now: Date, policy: RatingPolicy) async throws -> AlertRecord?

    /// Resolves a firing alert and appends the ledger event that notifies receivers; an
    /// unacknowledged one counts as a missed response in its group's history under `policy`.
    func resolve(_ fingerprint: Fingerprint, at now: Date, policy: RatingPolicy) async throws -> (AlertRecord, AlertEvent?)?

    /// Records the operator's feedback on the alert, replacing earlier feedback, and moves its
    /// source's reliability: a correction takes the earlier count back and adds the new one.
    /// When the learned model already learned from the alert's episode, it is corrected too.
    func feedback(_ fingerprint: Fingerprint, _ kind: FeedbackKind, at now: Date, policy: RatingPolicy) async throws -> FeedbackChange?

    /// Ledger events the router has not yet turned into notifications, oldest first.
    func unroutedEvents(limit: Int) async throws -> [AlertEvent]

    /// A value that changes when an alert with `status` arrives, fires again, is re-rated,
    /// acknowledged, given feedback or leaves `status`, or when a silence is created, changed,
    /// or starts or ends by `now`: a live view reads the alerts again only when it changed.
    func changeMark(of status: AlertStatus, at now: Date) async throws -> String
}
