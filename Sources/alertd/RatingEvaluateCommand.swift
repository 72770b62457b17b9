import AlertCore
import ArgumentParser
import Foundation

/// `alertd rating evaluate`: how well the learned rating ranks a recorded or generated history.
struct RatingEvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Replay a history of alerts and outcomes through a fresh learned model and compare its ranking with others.",
        discussion: """
            Prints AUC, log loss and the precision of the top 10 % for the learned model, today's fixed \
            weights, severity alone and the history's true probabilities (the oracle), and each ranking's \
            share of the oracle's lift over chance. The history is JSON Lines (scripts/rating-history.py \
            writes such files; the format is in Tests/Fixtures/rating/README.md).
            """)

    @Option(help: "The history file (JSON Lines).")
    var replay: String

    @Option(help: "A source to follow after it changed: how the rankings do once it has had 50 outcomes after --since.")
    var watchSource: String?

    @Option(help: "When the watched source changed (RFC 3339).")
    var since: String?

    @Option(help: "The model's half-life of outcomes (default 7d).")
    var halfLife: String?

    @Option(help: "Pseudo-outcomes of the parent's rate each level starts from (default 4).")
    var shrinkage: Double?

    @Option(help: "Step of the online weight fit (default 0.05).")
    var learningRate: Double?

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: replay) else { throw ValidationError("cannot read \(replay)") }
        let events: [(Date, RatingReplay.Event)]
        do {
            events = try RatingReplay.history(String(decoding: data, as: UTF8.self))
        } catch {
            throw ValidationError("\(replay): \(error)")
        }
        let started = ContinuousClock.now
        var settings = ActionabilityModel.Settings()
        if let halfLife {
            guard let seconds = DurationText.seconds(halfLife), seconds > 0 else { throw ValidationError("--half-life must be a duration such as 7d") }
            settings.halfLife = seconds
        }
        if let shrinkage { settings.shrinkage = shrinkage }
        if let learningRate { settings.learningRate = learningRate }
        let (scored, models) = RatingReplay(settings: settings).run(events)
        let elapsed = ContinuousClock.now - started
        guard !scored.isEmpty else { throw ValidationError("\(replay) has no alert with a truth to score against") }
        print("\(scored.count) alerts, \(models.count) tenant(s), replayed in \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds])))")
        report(scored, title: "all alerts")
        print("\nby quarter of the history: share of the oracle's lift (learned, as served, fixed weights)")
        let quarter = (scored.count + 3) / 4
        for start in stride(from: 0, to: scored.count, by: quarter) {
            let part = Array(scored[start..<min(scored.count, start + quarter)])
            let truth = part.map(\.truth.actionable)
            let oracle = RankingQuality(scores: part.map(\.truth.probability), actionable: truth)
            let learned = RankingQuality(scores: part.map(\.learned), actionable: truth).liftShare(of: oracle)
            let served = RankingQuality(scores: part.map(\.served), actionable: truth).liftShare(of: oracle)
            let fixed = RankingQuality(scores: part.map(\.fixed), actionable: truth).liftShare(of: oracle)
            print(
                String(
                    format: "  alerts %5d–%5d  %3.0f %%  %3.0f %%  %3.0f %%", start + 1, start + part.count, 100 * learned, 100 * served,
                    100 * fixed))
        }
        if let watchSource {
            guard let text = since, let since = RFC3339.date(from: text) else { throw ValidationError("--watch-source needs --since TIME") }
            let after = scored.filter { $0.time >= since && $0.source == watchSource }
            guard after.count > 50 else { throw ValidationError("\(watchSource) has only \(after.count) alerts after \(text)") }
            let settled = after[50].time
            report(scored.filter { $0.time >= settled }, title: "after \(watchSource)'s first 50 alerts since \(text) (from \(RFC3339.string(from: settled)))")
            print("\(watchSource) after \(text), by 50 alerts: mean learned score vs mean true probability")
            for start in stride(from: 0, to: after.count, by: 50) {
                let window = after[start..<min(after.count, start + 50)]
                let learned = window.reduce(0) { $0 + $1.learned } / Double(window.count)
                let truth = window.reduce(0) { $0 + $1.truth.probability } / Double(window.count)
                let fixed = window.reduce(0) { $0 + $1.fixed } / Double(window.count)
                print(String(format: "  alerts %4d–%4d  learned %.2f  fixed %.2f  true %.2f", start + 1, start + window.count, learned, fixed, truth))
            }
        }
        for (tenant, model) in models.sorted(by: { $0.key < $1.key }) {
            let weights = model.weights.sorted { $0.key < $1.key }.map { String(format: "%@ %.2f", $0.key, $0.value) }.joined(separator: ", ")
            print("tenant \(tenant): weights \(weights); \(model.driftEvents.count) drift event(s)\(model.driftEvents.map { " \($0.source)@\(RFC3339.string(from: $0.at))" }.joined())")
        }
    }

    private func report(_ scored: [RatingReplay.Scored], title: String) {
        let truth = scored.map(\.truth.actionable)
        let oracle = RankingQuality(scores: scored.map(\.truth.probability), actionable: truth)
        print("\n\(title): \(scored.count) alerts, \(String(format: "%.1f", 100 * Double(truth.filter { $0 }.count) / Double(truth.count))) % actionable")
        print("  ranking         AUC    log loss  top-10 % precision  share of the oracle's lift")
        for (name, scores) in [
            ("learned", scored.map(\.learned)), ("as served", scored.map(\.served)), ("fixed weights", scored.map(\.fixed)), ("severity only", scored.map(\.severity)),
            ("oracle", scored.map(\.truth.probability)),
        ] {
            let quality = RankingQuality(scores: scores, actionable: truth)
            print(
                String(
                    format: "  %@ %.3f  %.3f     %.3f               %.0f %%", name.padding(toLength: 15, withPad: " ", startingAt: 0),
                    quality.auc, quality.logLoss, quality.precisionAtTop10, 100 * quality.liftShare(of: oracle)))
        }
    }
}
