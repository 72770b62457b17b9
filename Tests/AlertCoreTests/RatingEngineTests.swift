import AlertCore
import Foundation
import Testing

@Suite struct RatingEngineTests {
    let policy = RatingPolicy()
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    var engine: RatingEngine { RatingEngine(policy: policy) }

    func alert(severity: String?) -> Alert {
        var labels = ["alertname": "HighLatency", "service": "checkout"]
        labels["severity"] = severity
        return Alert(labels: labels, source: "prometheus", startsAt: now)
    }

    func score(severity: String? = "warning", reliability: SourceReliability? = nil, history: ResponseHistory? = nil) -> Double {
        engine.rate(alert(severity: severity), reliability: reliability, history: history, at: now).score
    }

    @Test func monotonicInSeverity() {
        let scores = ["info", "warning", "error", "critical"].map { score(severity: $0) }
        #expect(scores == scores.sorted())
        #expect(Set(scores).count == 4)
        #expect(score(severity: nil) == score(severity: "made-up"))
    }

    @Test func monotonicInReliability() {
        let sources = (0...5).map { actionable in
            SourceReliability(actionable: Double(actionable), noise: Double(5 - actionable), updatedAt: now)
        }
        let scores = sources.map { score(reliability: $0) }
        #expect(scores == scores.sorted())
        #expect(scores.first! < scores.last!)
    }

    @Test func monotonicInResponseSpeed() {
        let latencies: [TimeInterval] = [7_200, 1_800, 600, 60, 5]
        let scores = latencies.map { latency in
            score(history: ResponseHistory(updatedAt: now).recording(latency: latency, at: now, policy: policy))
        }
        #expect(scores == scores.sorted())
        #expect(scores.first! < scores.last!)
    }

    @Test func feedbackMovesReliabilityTheRightWay() {
        let start = SourceReliability(updatedAt: now)
        let base = start.reliability(at: now, halfLife: policy.historyHalfLife)
        #expect(base == 0.5)
        let noisy = start.recording(.noise, at: now, halfLife: policy.historyHalfLife)
        let useful = start.recording(.actionable, at: now, halfLife: policy.historyHalfLife)
        #expect(noisy.reliability(at: now, halfLife: policy.historyHalfLife) < base)
        #expect(useful.reliability(at: now, halfLife: policy.historyHalfLife) > base)
    }

    @Test func acknowledgementsMoveHistoryTheRightWay() {
        let start = ResponseHistory(updatedAt: now)
        let base = start.value(at: now, halfLife: policy.historyHalfLife)
        let fast = start.recording(latency: 30, at: now, policy: policy)
        let slow = start.recording(latency: 6 * 3_600, at: now, policy: policy)
        #expect(fast.value(at: now, halfLife: policy.historyHalfLife) > base)
        #expect(slow.value(at: now, halfLife: policy.historyHalfLife) < base)
        #expect(fast.meanLatency(at: now, halfLife: policy.historyHalfLife) == 30)
    }

    @Test func aGroupNobodyAcknowledgesRanksBelowOneAcknowledgedSlowly() {
        var ignored = ResponseHistory(updatedAt: now)
        for _ in 0..<5 { ignored = ignored.recordingMiss(at: now, policy: policy) }
        let slow = ResponseHistory(updatedAt: now).recording(latency: 2 * 3_600, at: now, policy: policy)
        #expect(ignored.value(at: now, halfLife: policy.historyHalfLife) < slow.value(at: now, halfLife: policy.historyHalfLife))
        #expect(ignored.value(at: now, halfLife: policy.historyHalfLife) < ResponseHistory.prior)
        #expect(ignored.meanLatency(at: now, halfLife: policy.historyHalfLife) == nil, "misses have no latency")
        let detail = engine.rate(alert(severity: "warning"), reliability: nil, history: ignored, at: now).factors[2].detail
        #expect(detail == #"group "HighLatency/checkout": no acknowledgements, 5.0 resolved unacknowledged (decayed)"#)
    }

    @Test func withdrawnFeedbackTakesBackItsDecayedCount() {
        let givenAt = now
        let later = now.addingTimeInterval(policy.historyHalfLife)
        let stats = SourceReliability(updatedAt: now).recording(.noise, at: givenAt, halfLife: policy.historyHalfLife)
            .recording(.noise, at: givenAt, halfLife: policy.historyHalfLife)
        let withdrawn = stats.withdrawing(.noise, givenAt: givenAt, at: later, halfLife: policy.historyHalfLife)
        #expect(abs(withdrawn.noise - 0.5) < 1e-9, "two counts halved to 1.0, less the one taken back, itself halved")
        #expect(stats.withdrawing(.actionable, givenAt: givenAt, at: later, halfLife: policy.historyHalfLife).actionable == 0, "never below zero")
    }

    @Test func decayForgets() {
        var noisy = SourceReliability(updatedAt: now)
        for _ in 0..<20 { noisy = noisy.recording(.noise, at: now, halfLife: policy.historyHalfLife) }
        let fresh = noisy.reliability(at: now, halfLife: policy.historyHalfLife)
        let weekLater = noisy.reliability(at: now.addingTimeInterval(policy.historyHalfLife), halfLife: policy.historyHalfLife)
        let yearLater = noisy.reliability(at: now.addingTimeInterval(365 * 86_400), halfLife: policy.historyHalfLife)
        #expect(fresh < weekLater)
        #expect(weekLater < yearLater)
        #expect(abs(yearLater - 0.5) < 0.01)
        let halved = noisy.decayed(to: now.addingTimeInterval(policy.historyHalfLife), halfLife: policy.historyHalfLife)
        #expect(abs(halved.noise - 10) < 1e-9)
    }

    @Test func explainsEveryFactor() {
        let rating = engine.rate(alert(severity: "critical"), reliability: nil, history: nil, at: now)
        #expect(rating.factors.map(\.name) == ["severity", "reliability", "history"])
        #expect(abs(rating.factors.map(\.weight).reduce(0, +) - 1) < 1e-9)
        #expect(abs(rating.factors.map(\.contribution).reduce(0, +) - rating.score) < 1e-9)
        #expect(rating.score == 0.75)
        #expect(rating.priority == .p1)
        #expect(rating.urgent)
        #expect(rating.topFactors.first?.name == "severity")
    }

    @Test func weightsAreNormalisedAndScoresBounded() {
        var heavy = RatingPolicy()
        heavy.severityWeight = 10
        heavy.reliabilityWeight = 0
        heavy.historyWeight = 0
        let rating = RatingEngine(policy: heavy).rate(alert(severity: "critical"), reliability: nil, history: nil, at: now)
        #expect(rating.score == 1)
        let lowest = RatingEngine(policy: heavy).rate(alert(severity: "info"), reliability: nil, history: nil, at: now)
        #expect(lowest.score == 0.2)
    }

    @Test func priorityBands() {
        #expect(Priority(score: 0.75, threshold: 0.75) == .p1)
        #expect(Priority(score: 0.6, threshold: 0.75) == .p2)
        #expect(Priority(score: 0.45, threshold: 0.75) == .p3)
        #expect(Priority(score: 0.2625, threshold: 0.75) == .p4)
        #expect(Priority(score: 0.1, threshold: 0.75) == .p5)
    }
}
