import Foundation

/// A tenant's silences.
public protocol SilenceStore: Sendable {
    var tenant: TenantID { get }

    /// Stores a new silence.
    func createSilence(_ silence: Silence) async throws

    /// Replaces the matchers, times, author and comment of the silence with `silence.id`;
    /// false when there is no such silence.
    func updateSilence(_ silence: Silence) async throws -> Bool

    /// Silences that end after `cutoff` (every silence when nil), latest ending first.
    func silences(endingAfter cutoff: Date?) async throws -> [Silence]

    /// Ends the silence at `now` if it has not ended yet and returns it; nil when there is no
    /// silence with that id.
    func expireSilence(id: String, at now: Date) async throws -> Silence?
}
