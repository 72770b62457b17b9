import AlertCore
import Foundation
import HTTPCore
import Hummingbird

/// Alertmanager's API v2 over each tenant's data, for amtool, Grafana and Karma: status,
/// receivers, alerts and their groups, silences. Like the rest of the API, every handler
/// reads and writes the tenant of the caller's verified token only. `POST /api/v2/alerts`
/// is ingest (`AlertRoutes.registerCompatibleIngest`).
public struct AlertmanagerRoutes: Sendable {
    let alerts: AlertRoutes
    let version: String
    let startedAt: Date

    /// `version` is alertd's release, which `GET /api/v2/status` reports in `versionInfo`.
    public init(alerts: AlertRoutes, version: String, startedAt: Date = Date()) {
        self.alerts = alerts
        self.version = version
        self.startedAt = startedAt
    }

    public func register(on group: RouterGroup<AlertdRequestContext>) {
        group.get("status", use: status)
        group.get("receivers", use: receivers)
        group.get("alerts", use: listAlerts)
        group.get("alerts/groups", use: listAlertGroups)
        group.get("silences", use: listSilences)
        group.post("silences", use: postSilence)
        group.get("silence/:id", use: showSilence)
        group.delete("silence/:id", use: expireSilence)
    }

    @Sendable func status(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsRead)
        let config = try alerts.tenant(identity)
        return JSONBody(
            value: AlertmanagerStatus(
                versionInfo: .init(alertd: version), config: .init(original: config.alertmanagerYAML), uptime: startedAt))
    }

    @Sendable func receivers(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsRead)
        let config = try alerts.tenant(identity)
        return JSONBody(value: config.receivers.keys.sorted().map(ReceiverReference.init))
    }
}
