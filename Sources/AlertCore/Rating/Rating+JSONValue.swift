import Foundation

extension Rating {
    /// The rating a parsed JSON document holds, read as `Decodable` reads it, without the learned
    /// features (`CodingUserInfoKey.storedRating`, what `JSONWriter.rating(_:)` writes); nil
    /// when a member is missing or of another type.
    public init?(document: JSONValue) {
        guard let score = document["score"]?.numberValue, let priority = document["priority"]?.stringValue.flatMap(Priority.init(rawValue:)),
            case .bool(let urgent)? = document["urgent"], case .array(let items)? = document["factors"]
        else { return nil }
        var factors: [RatingFactor] = []
        factors.reserveCapacity(items.count)
        for item in items {
            guard let name = item["name"]?.stringValue, let value = item["value"]?.numberValue, let weight = item["weight"]?.numberValue,
                let contribution = item["contribution"]?.numberValue, let detail = item["detail"]?.stringValue
            else { return nil }
            factors.append(RatingFactor(name: name, value: value, weight: weight, contribution: contribution, detail: detail))
        }
        var learned: LearnedRating?
        if let member = document["learned"], member != .null {
            guard let probability = member["probability"]?.numberValue, let handover = member["handover"]?.numberValue else { return nil }
            learned = LearnedRating(probability: probability, handover: handover, assessment: nil)
        }
        self.init(score: score, priority: priority, urgent: urgent, factors: factors, learned: learned)
    }
}
