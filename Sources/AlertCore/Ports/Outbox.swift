import Foundation

/// A tenant's notifications to its receivers and every attempt to deliver them.
public protocol Outbox: Sendable {
    var tenant: TenantID { get }

    /// Pending notifications whose next attempt is due at `now`, the oldest pending one of each
    /// receiver and group only, so a group's notifications go out in order. A store shared by
    /// several replicas claims them for a while, so another replica does not deliver them too.
    func dueDeliveries(at now: Date, limit: Int) async throws -> [PendingDelivery]

    /// When the earliest pending notification that may go next (the oldest pending one of its
    /// receiver and group) is due; nil when none is pending.
    func nextDelivery() async throws -> Date?

    /// Records an attempt; `nextAttemptAt` schedules the next one when the outcome leaves the
    /// notification pending (`retry`, `held`, `delayed`). The attempt's `partsDelivered`, when
    /// set, is kept for the next attempt (it never shrinks).
    func recordAttempt(delivery id: Int64, _ attempt: DeliveryAttempt, nextAttemptAt: Date?) async throws

    /// The notifications that named the alert, with their attempts.
    func deliveries(_ fingerprint: Fingerprint) async throws -> [DeliveryRecord]

    /// Notifications in `state`, newest first.
    func deliveries(in state: DeliveryState, limit: Int) async throws -> [DeliverySummary]

    /// Puts a dead notification back in the queue, due at `now` with a fresh give-up clock;
    /// nil when there is no dead notification with that id.
    func replay(delivery id: Int64, at now: Date) async throws -> DeliverySummary?
}
