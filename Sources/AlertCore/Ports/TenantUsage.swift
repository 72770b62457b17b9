import Foundation

/// What a tenant's store holds now, for `GET /v1/tenant/usage`.
public struct TenantUsage: Sendable, Codable, Equatable {
    public var firingAlerts: Int
    public var resolvedAlerts: Int
    public var pendingNotifications: Int
    public var deadNotifications: Int
    public var activeSilences: Int
    /// When the oldest pending notification was created; nil when none is pending.
    public var oldestPendingAt: Date?

    public init(
        firingAlerts: Int, resolvedAlerts: Int, pendingNotifications: Int, deadNotifications: Int, activeSilences: Int,
        oldestPendingAt: Date? = nil
    ) {
        self.firingAlerts = firingAlerts
        self.resolvedAlerts = resolvedAlerts
        self.pendingNotifications = pendingNotifications
        self.deadNotifications = deadNotifications
        self.activeSilences = activeSilences
        self.oldestPendingAt = oldestPendingAt
    }
}
