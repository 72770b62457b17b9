import AlertCore
import Foundation

/// A row of a tenant's `alerts` table as either dialect reads it (JSON columns as text), turned
/// into an `AlertRecord` the same way for both.
struct AlertRow {
    var fingerprint: String?
    var alert: String?
    var status: String?
    var rating: String?
    var firstSeenAt: Date?
    var lastSeenAt: Date?
    var occurrences: Int?
    var acknowledgedAt: Date?
    var acknowledgedBy: String?
    var feedback: String?
    var feedbackAt: Date?

    func record(of tenant: TenantID, decoder: JSONDecoder = JSONDecoder()) throws -> AlertRecord {
        guard let fingerprint = fingerprint.flatMap(Fingerprint.init), let status = status.flatMap(AlertStatus.init(rawValue:)),
            let alert, let rating, let firstSeenAt, let lastSeenAt
        else { throw StoreError(.corruptRow, "an alert row of tenant \(tenant) is incomplete") }
        return AlertRecord(
            fingerprint: fingerprint, alert: try decoder.decode(Alert.self, from: Data(alert.utf8)), status: status,
            rating: try decoder.decode(Rating.self, from: Data(rating.utf8)), firstSeenAt: firstSeenAt, lastSeenAt: lastSeenAt,
            occurrences: occurrences ?? 1, acknowledgedAt: acknowledgedAt, acknowledgedBy: acknowledgedBy,
            feedback: feedback.flatMap(FeedbackKind.init(rawValue:)), feedbackAt: feedbackAt)
    }
}
