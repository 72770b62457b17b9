import AlertCore
import Foundation

/// The JSON of the stores. Ratings are written without the learned features
/// (`CodingUserInfoKey.storedRating`), which only the answer to the request that rated the
/// alert carries. The documents of every ingested alert (`alert`, `rating`, `event`) are
/// written by a `JSONWriter` in the form `JSONEncoder` gives them (dates as seconds since the
/// reference date, absent optionals left out; `StoredJSONTests` holds both to the same
/// documents); the rest go through `encoder()`.
enum StoredJSON {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.userInfo[.storedRating] = true
        return encoder
    }

    static func alert(_ alert: Alert) throws -> String {
        var writer = JSONWriter()
        try writer.alert(alert, dates: .secondsSinceReferenceDate)
        return writer.text
    }

    static func rating(_ rating: Rating) throws -> String {
        try JSONWriter.text(of: rating)
    }

    static func event(_ event: EventPayload) throws -> String {
        var writer = JSONWriter(capacity: 512)
        try writer.object { writer in
            writer.key("alert")
            try writer.alert(event.alert, dates: .secondsSinceReferenceDate)
            writer.key("status")
            writer.string(event.status.rawValue)
            writer.key("rating")
            try writer.rating(event.rating)
            if let traceparent = event.traceparent {
                writer.key("traceparent")
                writer.string(traceparent)
            }
        }
        return writer.text
    }
}
