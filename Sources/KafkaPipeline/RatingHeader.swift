import AlertCore
import Foundation
import Kafka

/// The `alertd-rating` header: the rating ingest answered a producer with, carried with the
/// alert's record so that the router stores that rating instead of rating the alert again.
enum RatingHeader {
    static let name = "alertd-rating"

    /// The rating `message` carries, nil when it carries none, or one that does not decode or
    /// whose score lies outside [0, 1]. Learned features in it are passed over.
    static func rating(in message: KafkaMessage) -> Rating? {
        guard let text = message.header(name), let document = try? JSONValue.parse(Data(text.utf8)),
            let rating = Rating(document: document), (0...1).contains(rating.score)
        else { return nil }
        return rating
    }
}
