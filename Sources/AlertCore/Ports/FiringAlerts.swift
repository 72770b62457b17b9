import Foundation

/// How many of a tenant's alerts are firing, and which of some alerts about to arrive are
/// among them: what the `maxActiveAlerts` quota is checked against.
public struct FiringAlerts: Sendable, Equatable {
    /// Every firing alert of the tenant.
    public var count: Int
    /// The asked-about fingerprints that are firing.
    public var among: Set<Fingerprint>

    public init(count: Int, among: Set<Fingerprint>) {
        self.count = count
        self.among = among
    }

    /// How many alerts would fire once `alerts` arrive at `now`: a firing alert not firing yet
    /// adds one, a resolved one that is firing takes one away, a repeat changes nothing.
    public func after(_ alerts: [Alert], at now: Date) -> Int {
        var firing = among
        var count = count
        for alert in alerts {
            let fingerprint = alert.fingerprint
            switch alert.status(at: now) {
            case .firing where firing.insert(fingerprint).inserted: count += 1
            case .resolved where firing.remove(fingerprint) != nil: count -= 1
            default: break
            }
        }
        return count
    }
}
