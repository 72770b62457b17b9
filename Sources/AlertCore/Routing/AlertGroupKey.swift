import Foundation

/// The identity of an aggregation group: the route the alerts matched and the values of that
/// route's `group_by` labels.
public struct AlertGroupKey: Sendable, Codable, Hashable {
    /// The route's position in the tree (`Route.path`); the root is empty.
    public var route: String
    /// The `group_by` labels and their values; a label the alerts lack is left out.
    public var labels: [String: String]

    public init(route: String, labels: [String: String]) {
        self.route = route
        self.labels = labels
    }

    /// The group an alert with `alertLabels` joins at `route`.
    public init(route: Route, alertLabels: [String: String]) {
        self.route = route.path
        switch route.groupBy {
        case .all: labels = alertLabels
        case .labels(let names): labels = alertLabels.filter { names.contains($0.key) }
        }
    }

    /// `route <path>:{name="value", …}` with the labels sorted by name, in the spirit of
    /// Alertmanager's group keys.
    public var key: String {
        let pairs = labels.keys.sorted().map { name in
            "\(name)=\"\(labels[name]!.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))\""
        }
        return "route \(route):{\(pairs.joined(separator: ", "))}"
    }
}
