import AlertCore
import Foundation
import Synchronization

/// Each receiver's pace (`quotas.notificationsPerMinute`): bursts of up to that many sends,
/// then one send per `60 / perMinute` seconds. A notification over the pace is delayed,
/// never dropped.
final class ReceiverPacer: Sendable {
    struct Allowance: Sendable {
        var perMinute: Int
        var sends: Double
        var updatedAt: Date
    }

    private let allowances = Mutex<[TenantReceiver: Allowance]>([:])

    /// Nil when `receiver` of `tenant` may be sent to now (and counts the send), else the
    /// seconds until the next send may go.
    func admit(tenant: TenantID, receiver: ReceiverName, perMinute: Int, at now: Date = Date()) -> TimeInterval? {
        let key = TenantReceiver(tenant: tenant, receiver: receiver)
        let rate = Double(perMinute) / 60
        return allowances.withLock { allowances in
            var allowance = allowances[key] ?? Allowance(perMinute: perMinute, sends: Double(perMinute), updatedAt: now)
            if allowance.perMinute != perMinute { allowance = Allowance(perMinute: perMinute, sends: Double(perMinute), updatedAt: now) }
            allowance.sends = min(Double(perMinute), allowance.sends + max(0, now.timeIntervalSince(allowance.updatedAt)) * rate)
            allowance.updatedAt = max(allowance.updatedAt, now)
            defer { allowances[key] = allowance }
            guard allowance.sends >= 1 else { return (1 - allowance.sends) / rate }
            allowance.sends -= 1
            return nil
        }
    }
}
