import AlertCore
import Foundation
import Synchronization

/// A store's copy of its tenant's learned model, so rating does not read the model from the
/// database for every alert; it also holds the flapping and storm signals, which live in
/// memory only.
final class RatingModelCache: Sendable {
    private struct State {
        var model: ActionabilityModel?
        /// The saved version the copy is of; nil until loaded.
        var version: Int64?
    }

    private let state = Mutex(State())

    /// The copy when it is of `version` (any version, when nil) and loaded; nil otherwise.
    func model(ifVersion version: Int64? = nil) -> ActionabilityModel?? {
        state.withLock { state in
            guard let cached = state.version, version == nil || version == cached else { return nil }
            return .some(state.model)
        }
    }

    /// Keeps `model` as saved at `version` unless a later version is cached; the signals of the
    /// previous copy carry over.
    func keep(_ model: ActionabilityModel?, version: Int64) {
        state.withLock { state in
            if let cached = state.version, cached > version { return }
            var model = model
            if let previous = state.model {
                model?.recentFirings = previous.recentFirings
                model?.recentArrivals = previous.recentArrivals
            }
            state.model = model
            state.version = version
        }
    }

    /// Notes alerts that fired at `now`, for the flapping and storm signals; nothing before
    /// the model exists.
    func observe(_ alerts: [Alert], at now: Date) {
        state.withLock { state in
            guard state.model != nil else { return }
            for alert in alerts { state.model!.observe(alert, at: now) }
        }
    }
}
