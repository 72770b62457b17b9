import Foundation

/// What became of an alert, as evidence of whether it needed a human: the label the learned
/// rating learns from. Explicit feedback decides; without it, how operators behaved does.
///
/// | evidence (first that applies)        | actionable share | weight |
/// |--------------------------------------|------------------|--------|
/// | feedback `actionable`                | 1.0              | 1.0    |
/// | feedback `noise`                     | 0.0              | 1.0    |
/// | silenced while firing                | 0.05             | 0.8    |
/// | acknowledged within the target       | 0.9              | 0.8    |
/// | acknowledged after the target        | 0.15             | 0.5    |
/// | resolved or expired unacknowledged   | 0.1              | 0.6    |
///
/// The share is the probability the evidence puts on "actionable"; the weight says how much
/// it counts next to explicit feedback.
public struct AlertOutcome: Sendable, Equatable, Codable {
    public enum Evidence: String, Sendable, Codable, CaseIterable {
        case feedbackActionable
        case feedbackNoise
        case silenced
        case acknowledgedInTime
        case acknowledgedLate
        case unacknowledged
    }

    public var evidence: Evidence

    public init(_ evidence: Evidence) {
        self.evidence = evidence
    }

    /// The outcome of an alert whose episode ended: `feedback` if given, else whether it was
    /// silenced, else its acknowledgement `latency` against `responseTarget`, else unacknowledged.
    public init(feedback: FeedbackKind?, silenced: Bool, acknowledgementLatency latency: TimeInterval?, responseTarget: TimeInterval) {
        switch (feedback, silenced, latency) {
        case (.actionable?, _, _): evidence = .feedbackActionable
        case (.noise?, _, _): evidence = .feedbackNoise
        case (nil, true, _): evidence = .silenced
        case (nil, false, let latency?): evidence = latency <= responseTarget ? .acknowledgedInTime : .acknowledgedLate
        case (nil, false, nil): evidence = .unacknowledged
        }
    }

    /// The probability the evidence puts on "actionable".
    public var actionableShare: Double {
        switch evidence {
        case .feedbackActionable: 1
        case .feedbackNoise: 0
        case .silenced: 0.05
        case .acknowledgedInTime: 0.9
        case .acknowledgedLate: 0.15
        case .unacknowledged: 0.1
        }
    }

    /// How much the outcome counts, explicit feedback being 1.
    public var weight: Double {
        switch evidence {
        case .feedbackActionable, .feedbackNoise: 1
        case .silenced, .acknowledgedInTime: 0.8
        case .acknowledgedLate: 0.5
        case .unacknowledged: 0.6
        }
    }
}
