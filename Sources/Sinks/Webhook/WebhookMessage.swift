import AlertCore
import Foundation

/// The JSON body a webhook receives.
struct WebhookMessage: Encodable {
    var version = "1"
    var tenant: String
    var receiver: String
    var status: AlertStatus
    var fingerprint: String
    var alert: Alert
    var rating: Rating

    init(_ notification: AlertNotification) {
        tenant = notification.tenant.rawValue
        receiver = notification.receiver
        status = notification.status
        fingerprint = notification.fingerprint.rawValue
        alert = notification.alert
        rating = notification.rating
    }
}
