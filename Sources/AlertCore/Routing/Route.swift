import Foundation

/// Which labels form a notification group.
public enum GroupBy: Sendable, Equatable {
    case labels([String])
    /// `...`: every label, so each alert is its own group.
    case all
}

/// A node of a tenant's routing tree, with settings already inherited from its parents.
public struct Route: Sendable {
    /// Position in the tree, e.g. `0.1` for the root's first child's second child; the root is empty.
    public var path: String
    public var receiver: ReceiverName
    public var matchers: [Matcher]
    public var continueMatching: Bool
    public var groupBy: GroupBy
    public var groupWait: TimeInterval
    public var groupInterval: TimeInterval
    public var repeatInterval: TimeInterval
    public var routes: [Route]

    public init(
        path: String = "", receiver: ReceiverName, matchers: [Matcher] = [], continueMatching: Bool = false,
        groupBy: GroupBy = .labels([]), groupWait: TimeInterval = 30, groupInterval: TimeInterval = 300,
        repeatInterval: TimeInterval = 14_400, routes: [Route] = []
    ) {
        self.path = path
        self.receiver = receiver
        self.matchers = matchers
        self.continueMatching = continueMatching
        self.groupBy = groupBy
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
        self.routes = routes
    }

    /// The routes an alert ends in, with Alertmanager's semantics: depth first, the first
    /// matching child wins unless it sets `continue`; a node none of whose children match is
    /// itself the match.
    public func match(labels: [String: String], rating: Rating?) -> [Route] {
        guard matchers.matchAll(labels: labels, rating: rating) else { return [] }
        var matched: [Route] = []
        for child in routes {
            let found = child.match(labels: labels, rating: rating)
            matched += found
            if !found.isEmpty, !child.continueMatching { break }
        }
        return matched.isEmpty ? [self] : matched
    }

    /// The distinct receivers an alert goes to, in tree order.
    public func receivers(labels: [String: String], rating: Rating?) -> [ReceiverName] {
        var seen = Set<ReceiverName>()
        return match(labels: labels, rating: rating).map(\.receiver).filter { seen.insert($0).inserted }
    }

    /// Every receiver name the tree refers to, with the node's path.
    public var referencedReceivers: [(path: String, receiver: ReceiverName)] {
        [(path, receiver)] + routes.flatMap(\.referencedReceivers)
    }
}
