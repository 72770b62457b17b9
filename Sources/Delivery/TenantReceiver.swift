import AlertCore

/// A receiver of one tenant: what pacing and circuits are kept per.
struct TenantReceiver: Hashable, Sendable {
    let tenant: TenantID
    let receiver: ReceiverName
}
