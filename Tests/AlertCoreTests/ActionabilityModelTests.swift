import Foundation
import Testing

@testable import AlertCore

/// The learned rating: outcomes by the documented rules, rates shrunk towards their parents,
/// weights that follow the tenant's outcomes, drift, and ranking measures.
@Suite struct ActionabilityModelTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func outcomesFollowTheRuleTable() {
        let target: TimeInterval = 900
        #expect(AlertOutcome(feedback: .noise, silenced: false, acknowledgementLatency: 60, responseTarget: target).evidence == .feedbackNoise)
        #expect(AlertOutcome(feedback: nil, silenced: true, acknowledgementLatency: 60, responseTarget: target).evidence == .silenced)
        #expect(AlertOutcome(feedback: nil, silenced: false, acknowledgementLatency: 60, responseTarget: target).evidence == .acknowledgedInTime)
        #expect(AlertOutcome(feedback: nil, silenced: false, acknowledgementLatency: 1_800, responseTarget: target).evidence == .acknowledgedLate)
        #expect(AlertOutcome(feedback: nil, silenced: false, acknowledgementLatency: nil, responseTarget: target).evidence == .unacknowledged)
        for evidence in AlertOutcome.Evidence.allCases {
            let outcome = AlertOutcome(evidence)
            #expect((0...1).contains(outcome.actionableShare) && (0...1).contains(outcome.weight))
        }
    }

    func alert(_ source: String, _ name: String, severity: String = "critical", service: String = "db") -> Alert {
        Alert(labels: ["alertname": name, "severity": severity, "service": service], source: source, startsAt: start)
    }

    @Test func aNewRuleBorrowsFromItsSourceAndLearnsItsOwnRate() {
        var model = ActionabilityModel()
        var now = start
        for index in 0..<40 {
            let noisy = alert("prom-noisy", "Flappy\(index % 4)")
            let good = alert("prom-good", "Real\(index % 4)")
            now = now.addingTimeInterval(600)
            model.learn(AlertOutcome(.feedbackNoise), of: noisy, assessment: model.assess(noisy, at: now), at: now)
            model.learn(AlertOutcome(.feedbackActionable), of: good, assessment: model.assess(good, at: now), at: now)
        }
        let newNoisy = model.assess(alert("prom-noisy", "NeverSeen"), at: now).probability
        let newGood = model.assess(alert("prom-good", "NeverSeen"), at: now).probability
        #expect(newNoisy < 0.25 && newGood > 0.75, "a new rule starts from its source: \(newNoisy), \(newGood)")
        let assessment = model.assess(alert("prom-noisy", "Flappy1"), at: now)
        let rule = assessment.features.first { $0.name == "rule" }
        #expect(rule?.detail == "source prom-noisy rule Flappy1: 0.0 of the last 9.9 outcomes actionable", "ten outcomes, decayed over the hours since")
        #expect(model.assess(alert("prom-other", "X"), at: now).probability > 0.35, "a new source starts near the tenant's rate")
    }

    @Test func aSourceThatChangesIsNoticedAndRelearned() {
        var model = ActionabilityModel()
        var now = start
        for index in 0..<200 {
            let reliable = alert("exporter", "Rule\(index % 5)")
            now = now.addingTimeInterval(300)
            model.learn(AlertOutcome(.feedbackActionable), of: reliable, assessment: model.assess(reliable, at: now), at: now)
        }
        #expect(model.driftEvents.isEmpty)
        var broken = 0
        while model.driftEvents.isEmpty, broken < 100 {
            let noise = alert("exporter", "Rule\(broken % 5)")
            now = now.addingTimeInterval(300)
            model.learn(AlertOutcome(.feedbackNoise), of: noise, assessment: model.assess(noise, at: now), at: now)
            broken += 1
        }
        #expect(model.driftEvents.map(\.source) == ["exporter"], "drift is noticed")
        #expect(broken <= 30, "within \(broken) outcomes")
        for index in 0..<20 {
            let noise = alert("exporter", "Rule\(index % 5)")
            now = now.addingTimeInterval(300)
            model.learn(AlertOutcome(.feedbackNoise), of: noise, assessment: model.assess(noise, at: now), at: now)
        }
        #expect(model.assess(alert("exporter", "Rule1"), at: now).probability < 0.3, "and relearned")
    }

    @Test func rankingQualityMeasuresAUCWithTies() {
        let perfect = RankingQuality(scores: [0.1, 0.2, 0.8, 0.9], actionable: [false, false, true, true])
        #expect(perfect.auc == 1 && perfect.precisionAtTop10 == 1)
        let tied = RankingQuality(scores: [0.5, 0.5, 0.5, 0.5], actionable: [false, true, false, true])
        #expect(tied.auc == 0.5)
        let inverted = RankingQuality(scores: [0.9, 0.1], actionable: [false, true])
        #expect(inverted.auc == 0)
        #expect(perfect.liftShare(of: perfect) == 1)
    }

    @Test func historiesAreReadWithTheirLineNumbersOnError() throws {
        let text = """
            {"time":"2026-01-05T10:00:00Z","kind":"alert","tenant":"acme","alert":"a1","labels":{"alertname":"A","severity":"critical","service":"db"},"source":"prom","truth":{"p":0.8,"actionable":true}}
            {"time":"2026-01-05T10:02:00Z","kind":"ack","tenant":"acme","alert":"a1"}
            {"time":"2026-01-05T10:01:00Z","kind":"feedback","tenant":"acme","alert":"a1","value":"actionable"}
            """
        let events = try RatingReplay.history(text)
        #expect(events.map(\.0) == [start(of: "2026-01-05T10:00:00Z"), start(of: "2026-01-05T10:01:00Z"), start(of: "2026-01-05T10:02:00Z")])
        #expect(throws: RatingReplay.HistoryError.self) { try RatingReplay.history(text + "\n{\"time\": \"soon\"}") }
        let (scored, models) = RatingReplay().run(events)
        #expect(scored.count == 1 && models["acme"] != nil)
    }

    func start(of text: String) -> Date { RFC3339.date(from: text)! }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/rating").path

    /// On generated histories (Tests/Fixtures/rating, scripts/rating-history.py) the learned
    /// ranking beats severity alone and today's fixed weights by a wide margin.
    @Test(arguments: ["small.jsonl", "broken-source.jsonl"])
    func theLearnedRankingBeatsSeverityAndFixedWeights(file: String) throws {
        let text = try String(contentsOfFile: "\(Self.fixtures)/\(file)", encoding: .utf8)
        let (scored, _) = RatingReplay().run(try RatingReplay.history(text))
        let truth = scored.map(\.truth.actionable)
        let oracle = RankingQuality(scores: scored.map(\.truth.probability), actionable: truth)
        let learned = RankingQuality(scores: scored.map(\.learned), actionable: truth).liftShare(of: oracle)
        let fixed = RankingQuality(scores: scored.map(\.fixed), actionable: truth).liftShare(of: oracle)
        let severity = RankingQuality(scores: scored.map(\.severity), actionable: truth).liftShare(of: oracle)
        #expect(learned > severity + 0.3, "learned \(learned), severity \(severity)")
        #expect(learned > fixed + 0.15, "learned \(learned), fixed \(fixed)")
    }
}
