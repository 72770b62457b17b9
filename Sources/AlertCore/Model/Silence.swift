import Foundation

/// Mutes notifications for matching alerts between `startsAt` and `endsAt`. Silenced alerts
/// are still stored, rated and listed; receivers just do not hear of them.
public struct Silence: Sendable, Codable, Equatable {
    /// The store's id, a UUID.
    public var id: String
    /// Matchers in the route tree's syntax (`service="checkout"`, `severity=~"crit.*"`,
    /// `score>=0.8`); all must hold.
    public var matchers: [String]
    public var startsAt: Date
    public var endsAt: Date
    /// The `sub` of the token that created it.
    public var createdBy: String
    public var comment: String
    public var createdAt: Date

    public init(
        id: String = UUID().uuidString.lowercased(), matchers: [String], startsAt: Date, endsAt: Date, createdBy: String,
        comment: String, createdAt: Date
    ) {
        self.id = id
        self.matchers = matchers
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.createdBy = createdBy
        self.comment = comment
        self.createdAt = createdAt
    }

    public enum State: String, Sendable, Codable {
        case pending
        case active
        case expired
    }

    public func state(at now: Date) -> State {
        if now >= endsAt { return .expired }
        return now >= startsAt ? .active : .pending
    }

    /// Whether the silence is active at `now` and all its matchers hold for the alert.
    public func mutes(labels: [String: String], rating: Rating, at now: Date) -> Bool {
        guard state(at: now) == .active else { return false }
        return matchers.allSatisfy { text in
            (try? Matcher(parsing: text))?.matches(labels: labels, rating: rating) ?? false
        }
    }
}
