import AlertCore

/// What a ledger event carries, as stored JSON.
struct EventPayload: Codable {
    var alert: Alert
    var status: AlertStatus
    var rating: Rating
    var traceparent: String?
}
