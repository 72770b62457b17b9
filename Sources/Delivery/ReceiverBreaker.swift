import AlertCore
import Foundation
import Synchronization

/// A circuit breaker per receiver: after `threshold` deliveries in a row fail with a
/// retryable error, the receiver's notifications are held (not sent, not dropped) for a
/// cool-down that doubles with every failed trial, up to `maxCooldown`. When the cool-down
/// ends one notification goes as a trial; its success closes the circuit.
final class ReceiverBreaker: Sendable {
    enum Admission: Equatable {
        case send
        /// Only this one delivery goes; the receiver's others wait for its outcome.
        case trial
        case hold(until: Date)
    }

    struct Circuit: Sendable {
        var failures = 0
        var cooldown: TimeInterval
        var openUntil: Date?
        var trialStartedAt: Date?
    }

    /// A trial whose outcome never came (the process stopped recording) is given up after this.
    static let trialTimeout: TimeInterval = 60

    let threshold: Int
    let initialCooldown: TimeInterval
    let maxCooldown: TimeInterval
    private let circuits = Mutex<[TenantReceiver: Circuit]>([:])

    init(threshold: Int = 5, initialCooldown: TimeInterval = 10, maxCooldown: TimeInterval = 300) {
        self.threshold = threshold
        self.initialCooldown = initialCooldown
        self.maxCooldown = maxCooldown
    }

    func admit(tenant: TenantID, receiver: ReceiverName, at now: Date = Date()) -> Admission {
        circuits.withLock { circuits in
            let key = TenantReceiver(tenant: tenant, receiver: receiver)
            guard var circuit = circuits[key], let openUntil = circuit.openUntil else { return .send }
            if now < openUntil { return .hold(until: openUntil) }
            if let started = circuit.trialStartedAt, now.timeIntervalSince(started) < Self.trialTimeout {
                return .hold(until: now.addingTimeInterval(1))
            }
            circuit.trialStartedAt = now
            circuits[key] = circuit
            return .trial
        }
    }

    /// Counts the outcome of a delivery that was sent; returns true when it opened the circuit.
    @discardableResult
    func record(tenant: TenantID, receiver: ReceiverName, failed: Bool, at now: Date = Date()) -> Bool {
        circuits.withLock { circuits in
            let key = TenantReceiver(tenant: tenant, receiver: receiver)
            var circuit = circuits[key] ?? Circuit(cooldown: initialCooldown)
            defer { circuits[key] = circuit }
            guard failed else {
                circuit = Circuit(cooldown: initialCooldown)
                return false
            }
            circuit.failures += 1
            if circuit.trialStartedAt != nil {
                circuit.trialStartedAt = nil
                circuit.cooldown = min(circuit.cooldown * 2, maxCooldown)
                circuit.openUntil = now.addingTimeInterval(circuit.cooldown)
                return true
            }
            guard circuit.openUntil == nil, circuit.failures >= threshold else { return false }
            circuit.openUntil = now.addingTimeInterval(circuit.cooldown)
            return true
        }
    }
}
