import Foundation

/// What a tenant's rating learns from: each source's reliability, each response group's
/// history and the learned model.
public protocol RatingStats: Sendable {
    var tenant: TenantID { get }

    /// Feedback statistics for `sources` and ack statistics for `groups`.
    func ratingInputs(sources: Set<String>, groups: Set<String>) async throws -> RatingInputs

    /// The tenant's learned rating model; nil before it learned from any outcome.
    func ratingModel() async throws -> ActionabilityModel?

    /// Teaches the learned model the outcomes of up to `limit` alerts whose episode ended
    /// (resolved, last seen) before `cutoff` and that it has not learned from, in one
    /// transaction; returns how many. A later feedback on such an alert corrects what it taught.
    func learnOutcomes(endedBefore cutoff: Date, at now: Date, policy: RatingPolicy, limit: Int) async throws -> Int
}
