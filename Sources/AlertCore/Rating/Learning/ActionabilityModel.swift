import Foundation

/// A tenant's learned estimate of P(actionable) for an alert, from the outcomes of earlier
/// alerts: time-decayed Beta-Binomial rates at several levels (tenant → source → source and
/// alertname → that at one severity; alertname and service; severity; the labels the tenant
/// calls informative), each
/// shrunk towards its parent so a new rule borrows from its source and a new source from the
/// tenant, combined in log-odds with weights fitted online to the tenant's own outcomes, plus
/// flapping and storm signals. Deterministic for a given history; cheap enough for ingest.
public struct ActionabilityModel: Sendable, Codable {
    public struct Settings: Sendable, Codable, Equatable {
        /// Outcomes lose half their weight this often.
        public var halfLife: TimeInterval = 7 * 86_400
        /// Pseudo-outcomes of the parent's rate each level starts from.
        public var shrinkage: Double = 4
        /// Step of the online weight fit.
        public var learningRate: Double = 0.05
        /// Labels whose values carry information of their own, e.g. `service`, `team`, `env`.
        public var informativeLabels: [String] = ["service", "team", "env"]
        /// Recent firings of a label set that count as flapping.
        public var flappingWindow: TimeInterval = 3_600
        /// Recent alerts of one alertname and service that count as a storm.
        public var stormWindow: TimeInterval = 600

        public init() {}
    }

    public var settings: Settings
    /// Outcome counts per level key (`tenant`, `source:…`, `rule:…`, `tier:…`, `service:…`, `severity:…`, `label:…`).
    public var counts: [String: OutcomeCounts] = [:]
    /// Weight of each feature in log-odds.
    public var weights: [String: Double] = Self.initialWeights
    /// Recent firing times per fingerprint and per alertname and service; kept in memory only.
    public var recentFirings: [String: [Date]] = [:]
    public var recentArrivals: [String: [Date]] = [:]
    /// How well the model has been predicting each source's outcomes.
    public var drift: [String: DriftTracker] = [:]
    public var driftEvents: [DriftEvent] = []
    /// Predictions against outcomes, by tenths of the predicted probability.
    public var calibration: [CalibrationBucket] = Array(repeating: CalibrationBucket(), count: 10)
    /// How many outcomes it has learned from.
    public var outcomes = 0

    enum CodingKeys: String, CodingKey {
        case settings, counts, weights, drift, driftEvents, calibration, outcomes
    }

    /// The starting weights; each informative label (`label:team`, …) starts at 0.3.
    static let initialWeights: [String: Double] = [
        "source": 1, "rule": 1, "tier": 0.5, "service": 0.5, "severity": 0.3, "flapping": 0, "storm": 0,
    ]

    /// The feature's weight now.
    func weight(_ feature: String) -> Double {
        weights[feature] ?? Self.initialWeights[feature] ?? 0.3
    }

    /// Bounds of the fitted weights: a level never counts against its own evidence nor more
    /// than twice; flapping and storm may push either way.
    static func bounds(_ feature: String) -> ClosedRange<Double> {
        ["flapping", "storm"].contains(feature) ? -2...2 : 0...2
    }

    public init(settings: Settings = Settings()) {
        self.settings = settings
    }

    // MARK: - Rating

    /// The model's estimate for `alert` at `now`, with each feature's part; the features'
    /// sentences only when `explaining` (ingest, which shows none, skips them).
    public func assess(_ alert: Alert, at now: Date, explaining: Bool = true) -> Assessment {
        let keys = LevelKeys(alert, informative: settings.informativeLabels)
        let tenant = rate(keys.tenant, prior: 0.5, at: now)
        var features: [Assessment.Feature] = []
        func level(_ feature: String, _ key: String, parent: Double, describe: @autoclosure () -> String) -> Double {
            let counts = counts[key]?.decayed(to: now, halfLife: settings.halfLife) ?? OutcomeCounts(updatedAt: now)
            let value = counts.rate(shrunkTowards: parent, strength: settings.shrinkage)
            features.append(
                Assessment.Feature(
                    name: feature, key: key, input: logit(value) - logit(parent), rate: value, weight: weight(feature),
                    detail: explaining
                        ? "\(describe()): \(oneDecimal(counts.actionable)) of the last \(oneDecimal(counts.total)) outcomes actionable" : ""))
            return value
        }
        let source = level("source", keys.source, parent: tenant, describe: "source \(alert.source)")
        let rule = level("rule", keys.rule, parent: source, describe: "source \(alert.source) rule \(alert.name)")
        _ = level("tier", keys.tier, parent: rule, describe: "rule \(alert.name) at severity \(alert.labels["severity"] ?? "none")")
        _ = level("service", keys.service, parent: tenant, describe: "\(alert.name) on service \(alert.labels["service"] ?? "none")")
        _ = level("severity", keys.severity, parent: tenant, describe: "severity \(alert.labels["severity"] ?? "none")")
        for key in keys.labels {
            let label = key.dropFirst("label:".count)
            _ = level("label:\(label.prefix { $0 != "=" })", key, parent: tenant, describe: String(label))
        }
        let flapping = recent(recentFirings[keys.fingerprint], within: settings.flappingWindow, at: now)
        features.append(
            Assessment.Feature(
                name: "flapping", key: keys.fingerprint, input: log1p(Double(flapping)), rate: nil, weight: weight("flapping"),
                detail: explaining ? "fired \(flapping) time(s) in the last \(Int(settings.flappingWindow / 60)) minutes" : ""))
        let storm = recent(recentArrivals[keys.service], within: settings.stormWindow, at: now)
        features.append(
            Assessment.Feature(
                name: "storm", key: keys.service, input: log1p(Double(storm)), rate: nil, weight: weight("storm"),
                detail: explaining
                    ? "\(storm) alert(s) of \(alert.name) on this service in the last \(Int(settings.stormWindow / 60)) minutes" : ""))
        return Assessment(base: logit(tenant), baseRate: tenant, features: features)
    }

    /// Notes that `alert` fired at `now`, for the flapping and storm signals of later alerts.
    public mutating func observe(_ alert: Alert, at now: Date) {
        let keys = LevelKeys(alert, informative: settings.informativeLabels)
        recentFirings[keys.fingerprint] = trimmed(recentFirings[keys.fingerprint], within: settings.flappingWindow, at: now) + [now]
        recentArrivals[keys.service] = trimmed(recentArrivals[keys.service], within: settings.stormWindow, at: now) + [now]
    }

    // MARK: - Learning

    /// Learns from `outcome` of `alert`, rated `assessment` when it fired: every level's counts,
    /// the weights (one step of logistic regression on the outcome), and the source's drift.
    public mutating func learn(_ outcome: AlertOutcome, of alert: Alert, assessment: Assessment, at now: Date) {
        let keys = LevelKeys(alert, informative: settings.informativeLabels)
        for key in keys.all {
            counts[key] = (counts[key] ?? OutcomeCounts(updatedAt: now)).adding(outcome, at: now, halfLife: settings.halfLife)
        }
        let error = outcome.actionableShare - assessment.probability
        var gradient: [String: Double] = [:]
        for feature in assessment.features { gradient[feature.name, default: 0] += feature.input }
        for (name, slope) in gradient {
            let bounds = Self.bounds(name)
            weights[name] = min(bounds.upperBound, max(bounds.lowerBound, weight(name) + settings.learningRate * outcome.weight * error * slope))
        }
        outcomes += 1
        let bucket = min(9, max(0, Int(assessment.probability * 10)))
        calibration[bucket].predicted += assessment.probability * outcome.weight
        calibration[bucket].actionable += outcome.actionableShare * outcome.weight
        calibration[bucket].weight += outcome.weight
        var tracker = drift[alert.source] ?? DriftTracker()
        if tracker.record(loss: predictionLoss(assessment.probability, outcome.actionableShare)) {
            driftEvents.append(DriftEvent(source: alert.source, at: now, recentLoss: tracker.recent, baselineLoss: tracker.baseline))
            forget(source: alert.source, keeping: 0)
            tracker.reset()
        }
        drift[alert.source] = tracker
    }

    /// Keeps `share` of what the source's levels learned, after its outcomes stopped matching
    /// the model: the stale statistics stop outweighing the new behaviour (on a drift event
    /// nothing is kept, so the source and its rules start again from the tenant's rate).
    mutating func forget(source: String, keeping share: Double) {
        for key in counts.keys where key == "source:\(source)" || key.hasPrefix("rule:\(source)\u{1F}") || key.hasPrefix("tier:\(source)\u{1F}") {
            counts[key]!.actionable *= share
            counts[key]!.noise *= share
        }
    }

    // MARK: - Helpers

    private func rate(_ key: String, prior: Double, at now: Date) -> Double {
        let counts = counts[key]?.decayed(to: now, halfLife: settings.halfLife) ?? OutcomeCounts(updatedAt: now)
        return counts.rate(shrunkTowards: prior, strength: 2)
    }

    private func recent(_ times: [Date]?, within window: TimeInterval, at now: Date) -> Int {
        times?.reduce(0) { $0 + (now.timeIntervalSince($1) <= window ? 1 : 0) } ?? 0
    }

    private func trimmed(_ times: [Date]?, within window: TimeInterval, at now: Date) -> [Date] {
        (times ?? []).filter { now.timeIntervalSince($0) <= window }
    }
}

/// Predictions that fell in one tenth of [0, 1], against what became of those alerts.
public struct CalibrationBucket: Sendable, Codable, Equatable {
    public var predicted = 0.0
    public var actionable = 0.0
    public var weight = 0.0
}

/// The keys of the levels an alert's outcome counts at.
struct LevelKeys {
    let tenant = "tenant"
    let source: String
    let rule: String
    /// The rule at one severity: some rules page on critical and chatter on warning.
    let tier: String
    let service: String
    let severity: String
    let labels: [String]
    let fingerprint: String

    init(_ alert: Alert, informative: [String]) {
        source = "source:\(alert.source)"
        rule = "rule:\(alert.source)\u{1F}\(alert.name)"
        tier = "tier:\(alert.source)\u{1F}\(alert.name)\u{1F}\(alert.labels["severity"]?.lowercased() ?? "")"
        service = "service:\(alert.name)\u{1F}\(alert.labels["service"] ?? "")"
        severity = "severity:\(alert.labels["severity"]?.lowercased() ?? "")"
        labels = informative.compactMap { name in alert.labels[name].map { "label:\(name)=\($0)" } }
        fingerprint = alert.fingerprint.rawValue
    }

    /// Every level an outcome counts at.
    var all: [String] { [tenant, source, rule, tier, service, severity] + labels }
}

func logit(_ p: Double) -> Double {
    let clamped = min(1 - 1e-6, max(1e-6, p))
    return log(clamped / (1 - clamped))
}

func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }

/// `x` rounded to one decimal, e.g. `9.9` or `12.0` (cheaper than a format string on the
/// ingest path).
func oneDecimal(_ x: Double) -> String {
    String((x * 10).rounded() / 10)
}

/// The log loss of predicting `p` for an outcome whose actionable share is `y`.
func predictionLoss(_ p: Double, _ y: Double) -> Double {
    let clamped = min(1 - 1e-6, max(1e-6, p))
    return -(y * log(clamped) + (1 - y) * log(1 - clamped))
}
