import Logging

/// The audit trail: one log line (`"audit": "true"`) per denied request and per
/// state-changing operator action, with tenant, subject, action and outcome. A line never
/// holds a token.
public struct AuditLog: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// `action` is `METHOD /path`; `outcome` is e.g. `allowed 201` or `denied 403: …`.
    public func record(tenant: String?, subject: String?, action: String, outcome: String) {
        logger.notice(
            "audit",
            metadata: [
                "audit": "true", "tenant": "\(tenant ?? "unknown")", "subject": "\(subject ?? "unknown")", "action": "\(action)",
                "outcome": "\(outcome)",
            ])
    }
}
