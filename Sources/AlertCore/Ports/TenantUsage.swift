/// What a tenant's store holds now, for `GET /v1/tenant/usage`.
public struct TenantUsage: Sendable, Codable, Equatable {
    public var firingAlerts: Int
    public var resolvedAlerts: Int
    public var pendingNotifications: Int
    public var deadNotifications: Int
    public var activeSilences: Int

    public init(firingAlerts: Int, resolvedAlerts: Int, pendingNotifications: Int, deadNotifications: Int, activeSilences: Int) {
        self.firingAlerts = firingAlerts
        self.resolvedAlerts = resolvedAlerts
        self.pendingNotifications = pendingNotifications
        self.deadNotifications = deadNotifications
        self.activeSilences = activeSilences
    }
}
