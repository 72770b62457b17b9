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
        try write(alert, to: &writer)
        return writer.text
    }

    static func rating(_ rating: Rating) throws -> String {
        var writer = JSONWriter()
        try write(rating, to: &writer)
        return writer.text
    }

    static func event(_ event: EventPayload) throws -> String {
        var writer = JSONWriter(capacity: 512)
        try writer.object { writer in
            writer.key("alert")
            try write(event.alert, to: &writer)
            writer.key("status")
            writer.string(event.status.rawValue)
            writer.key("rating")
            try write(event.rating, to: &writer)
            if let traceparent = event.traceparent {
                writer.key("traceparent")
                writer.string(traceparent)
            }
        }
        return writer.text
    }

    private static func write(_ alert: Alert, to writer: inout JSONWriter) throws {
        try writer.object { writer in
            writer.key("labels")
            writer.strings(alert.labels)
            writer.key("annotations")
            writer.strings(alert.annotations)
            writer.key("source")
            writer.string(alert.source)
            writer.key("startsAt")
            try writer.date(alert.startsAt)
            if let endsAt = alert.endsAt {
                writer.key("endsAt")
                try writer.date(endsAt)
            }
            if let generatorURL = alert.generatorURL {
                writer.key("generatorURL")
                writer.string(generatorURL)
            }
        }
    }

    private static func write(_ rating: Rating, to writer: inout JSONWriter) throws {
        try writer.object { writer in
            writer.key("score")
            try writer.number(rating.score)
            writer.key("priority")
            writer.string(rating.priority.rawValue)
            writer.key("urgent")
            writer.bool(rating.urgent)
            writer.key("factors")
            try writer.array { writer in
                for factor in rating.factors {
                    writer.element()
                    try writer.object { writer in
                        writer.key("name")
                        writer.string(factor.name)
                        writer.key("value")
                        try writer.number(factor.value)
                        writer.key("weight")
                        try writer.number(factor.weight)
                        writer.key("contribution")
                        try writer.number(factor.contribution)
                        writer.key("detail")
                        writer.string(factor.detail)
                    }
                }
            }
            if let learned = rating.learned {
                writer.key("learned")
                try writer.object { writer in
                    writer.key("probability")
                    try writer.number(learned.probability)
                    writer.key("handover")
                    try writer.number(learned.handover)
                }
            }
        }
    }
}
