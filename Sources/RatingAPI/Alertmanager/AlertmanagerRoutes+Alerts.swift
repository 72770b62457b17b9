import AlertCore
import Foundation
import HTTPCore
import Hummingbird

extension AlertmanagerRoutes {
    /// `GET /api/v2/alerts`: the firing alerts, filtered as Alertmanager filters them.
    @Sendable func listAlerts(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsRead)
        let config = try alerts.tenant(identity)
        let filter = try AlertmanagerAlertFilter(request.uri.queryParameters)
        let view = try await alerts.firingAlerts(identity, config: config)
        return JSONBody(value: view.alerts.compactMap { view.gettable($0, config: config, filter: filter) })
    }

    /// `GET /api/v2/alerts/groups`: the firing alerts by route, receiver and `group_by` values,
    /// the way the router groups them.
    @Sendable func listAlertGroups(_ request: Request, context: AlertdRequestContext) async throws -> some ResponseGenerator {
        let identity = try context.require(anyOf: Scope.alertsRead)
        let config = try alerts.tenant(identity)
        let filter = try AlertmanagerAlertFilter(request.uri.queryParameters)
        let view = try await alerts.firingAlerts(identity, config: config)
        var groups: [String: AlertmanagerAlertGroup] = [:]
        var order: [String] = []
        for record in view.alerts {
            guard let alert = view.gettable(record, config: config, filter: filter) else { continue }
            for route in config.route.match(labels: record.alert.labels, rating: record.rating)
            where filter.receiver.map({ $0.matches(route.receiver) }) ?? true {
                let key = AlertGroupKey(route: route, alertLabels: record.alert.labels)
                let id = "\(route.receiver) \(key.key)"
                if groups[id] == nil {
                    order.append(id)
                    groups[id] = AlertmanagerAlertGroup(
                        labels: key.labels, routeLabels: route.equalityLabels, receiver: ReceiverReference(name: route.receiver), alerts: [])
                }
                groups[id]!.alerts.append(alert)
            }
        }
        return JSONBody(value: order.map { groups[$0]! })
    }
}

extension FiringAlertView {
    /// The alert in Alertmanager's shape, or nil when `filter` leaves it out.
    func gettable(_ record: AlertRecord, config: TenantConfig, filter: AlertmanagerAlertFilter) -> GettableAlert? {
        guard filter.matchers.matchAll(labels: record.alert.labels, rating: record.rating) else { return nil }
        let receivers = config.route.receivers(labels: record.alert.labels, rating: record.rating)
        if let receiver = filter.receiver, !receivers.contains(where: receiver.matches) { return nil }
        let status = mutes.status(of: record)
        guard filter.admits(status) else { return nil }
        return GettableAlert(record, receivers: receivers, mutes: status)
    }
}

extension Route {
    /// The route's `=` label matchers as labels: what Alertmanager shows as a group's
    /// `routeLabels`.
    var equalityLabels: [String: String] {
        var labels: [String: String] = [:]
        for matcher in matchers where !matcher.isRatingMatcher {
            let form = matcher.alertmanagerForm
            if form.isEqual, !form.isRegex { labels[form.name] = form.value }
        }
        return labels
    }
}
