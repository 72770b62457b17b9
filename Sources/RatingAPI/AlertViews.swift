import AlertCore
import Foundation

/// One alert's answer to an ingest or rate request.
struct RatingView: Encodable {
    var fingerprint: String
    var alertname: String
    var status: AlertStatus
    var score: Double
    var priority: Priority
    var urgent: Bool
    var factors: [RatingFactor]?
    var learned: LearnedRating?

    init(_ rated: RatedAlert, explain: Bool) {
        fingerprint = rated.alert.fingerprint.rawValue
        alertname = rated.alert.name
        status = rated.status
        score = rated.rating.score
        priority = rated.rating.priority
        urgent = rated.rating.urgent
        factors = explain ? rated.rating.factors : nil
        learned = explain ? rated.rating.learned : nil
    }
}

struct RatingList: Encodable {
    var alerts: [RatingView]
}

/// An alert as the read API shows it.
struct AlertView: Encodable {
    var fingerprint: String
    var status: AlertStatus
    var labels: [String: String]
    var annotations: [String: String]
    var source: String
    var startsAt: Date
    var endsAt: Date?
    var generatorURL: String?
    var firstSeenAt: Date
    var lastSeenAt: Date
    var occurrences: Int
    var acknowledgedAt: Date?
    var acknowledgedBy: String?
    var feedback: FeedbackKind?
    var feedbackAt: Date?
    var rating: Rating
    var deliveries: [DeliveryRecord]?

    init(_ record: AlertRecord, deliveries: [DeliveryRecord]? = nil) {
        fingerprint = record.fingerprint.rawValue
        status = record.status
        labels = record.alert.labels
        annotations = record.alert.annotations
        source = record.alert.source
        startsAt = record.alert.startsAt
        endsAt = record.alert.endsAt
        generatorURL = record.alert.generatorURL
        firstSeenAt = record.firstSeenAt
        lastSeenAt = record.lastSeenAt
        occurrences = record.occurrences
        acknowledgedAt = record.acknowledgedAt
        acknowledgedBy = record.acknowledgedBy
        feedback = record.feedback
        feedbackAt = record.feedbackAt
        rating = record.rating
        self.deliveries = deliveries
    }
}

struct AlertList: Encodable {
    var alerts: [AlertView]
    /// Pass as `offset` to get the next page; absent on the last page.
    var nextOffset: Int?
}
