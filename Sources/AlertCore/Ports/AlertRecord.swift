import Foundation

/// An alert as a tenant's store keeps it: one row per fingerprint, updated by repeated posts.
public struct AlertRecord: Sendable, Codable, Equatable {
    public var fingerprint: Fingerprint
    public var alert: Alert
    public var status: AlertStatus
    public var rating: Rating
    public var firstSeenAt: Date
    public var lastSeenAt: Date
    /// How many times the alert was posted in its current episode.
    public var occurrences: Int
    public var acknowledgedAt: Date?
    public var acknowledgedBy: String?
    /// The operator's latest word on the alert; a correction replaces it.
    public var feedback: FeedbackKind?
    /// When `feedback` was given.
    public var feedbackAt: Date?

    public init(
        fingerprint: Fingerprint, alert: Alert, status: AlertStatus, rating: Rating, firstSeenAt: Date, lastSeenAt: Date,
        occurrences: Int, acknowledgedAt: Date? = nil, acknowledgedBy: String? = nil, feedback: FeedbackKind? = nil,
        feedbackAt: Date? = nil
    ) {
        self.fingerprint = fingerprint
        self.alert = alert
        self.status = status
        self.rating = rating
        self.firstSeenAt = firstSeenAt
        self.lastSeenAt = lastSeenAt
        self.occurrences = occurrences
        self.acknowledgedAt = acknowledgedAt
        self.acknowledgedBy = acknowledgedBy
        self.feedback = feedback
        self.feedbackAt = feedbackAt
    }
}

/// A rated alert on its way into a tenant's store.
public struct RatedAlert: Sendable, Equatable {
    public var alert: Alert
    public var status: AlertStatus
    public var rating: Rating
    /// The W3C trace context of the request or record that carried the alert; it travels
    /// with the alert's event and notifications to the sinks.
    public var traceparent: String?

    public init(alert: Alert, status: AlertStatus, rating: Rating, traceparent: String? = nil) {
        self.alert = alert
        self.status = status
        self.rating = rating
        self.traceparent = traceparent
    }
}

/// A change to an alert that the router must act on: an entry of the tenant's ledger.
public struct AlertEvent: Sendable, Codable, Equatable {
    public var tenant: TenantID
    /// Position in the tenant's ledger; increases with every event.
    public var id: Int64
    public var fingerprint: Fingerprint
    public var alert: Alert
    public var status: AlertStatus
    public var rating: Rating
    public var recordedAt: Date
    /// The W3C trace context the alert arrived with, if any.
    public var traceparent: String?

    public init(
        tenant: TenantID, id: Int64, fingerprint: Fingerprint, alert: Alert, status: AlertStatus, rating: Rating,
        recordedAt: Date, traceparent: String? = nil
    ) {
        self.tenant = tenant
        self.id = id
        self.fingerprint = fingerprint
        self.alert = alert
        self.status = status
        self.rating = rating
        self.recordedAt = recordedAt
        self.traceparent = traceparent
    }
}

/// Which alerts a listing returns.
public struct AlertQuery: Sendable, Equatable {
    public var status: AlertStatus?
    public var minScore: Double?
    public var limit: Int
    /// Alerts to skip, from a previous page's `nextOffset`.
    public var offset: Int

    public init(status: AlertStatus? = nil, minScore: Double? = nil, limit: Int = 50, offset: Int = 0) {
        self.status = status
        self.minScore = minScore
        self.limit = limit
        self.offset = offset
    }
}

/// One page of a listing.
public struct AlertPage: Sendable, Equatable {
    public var alerts: [AlertRecord]
    /// The offset of the next page, nil on the last one.
    public var nextOffset: Int?

    public init(alerts: [AlertRecord], nextOffset: Int?) {
        self.alerts = alerts
        self.nextOffset = nextOffset
    }
}

/// What the rating engine needs from the store: feedback per source, acks per group, and the
/// learned model.
public struct RatingInputs: Sendable {
    public var reliability: [String: SourceReliability]
    public var history: [String: ResponseHistory]
    /// The tenant's learned model; nil before it learned anything.
    public var model: ActionabilityModel?

    public init(reliability: [String: SourceReliability] = [:], history: [String: ResponseHistory] = [:], model: ActionabilityModel? = nil) {
        self.reliability = reliability
        self.history = history
        self.model = model
    }
}
