import Foundation

/// How well scores rank alerts whose truth is known: AUC (the chance an actionable alert
/// outscores a noise one, ties counting half), log loss of the scores read as probabilities,
/// and the share of actionable alerts among the top 10 %.
public struct RankingQuality: Sendable, Equatable {
    public var auc: Double
    public var logLoss: Double
    public var precisionAtTop10: Double
    public var count: Int

    public init(scores: [Double], actionable: [Bool]) {
        count = scores.count
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var index = 0
        while index < order.count {
            var end = index
            while end + 1 < order.count, scores[order[end + 1]] == scores[order[index]] { end += 1 }
            let rank = Double(index + end) / 2 + 1
            for position in index...end where actionable[order[position]] { rankSum += rank }
            index = end + 1
        }
        let positives = Double(actionable.filter { $0 }.count)
        let negatives = Double(actionable.count) - positives
        auc = positives > 0 && negatives > 0 ? (rankSum - positives * (positives + 1) / 2) / (positives * negatives) : .nan
        logLoss = zip(scores, actionable).reduce(0) { $0 + predictionLoss($1.0, $1.1 ? 1 : 0) } / Double(max(1, scores.count))
        let top = max(1, scores.count / 10)
        let best = scores.indices.sorted { (scores[$0], $1) > (scores[$1], $0) }.prefix(top)
        precisionAtTop10 = Double(best.filter { actionable[$0] }.count) / Double(top)
    }

    /// `(auc − 0.5) / (oracle − 0.5)`: the share of the lift over chance that the best possible
    /// ranking reaches.
    public func liftShare(of oracle: RankingQuality) -> Double {
        (auc - 0.5) / (oracle.auc - 0.5)
    }
}
