import Foundation

extension JSONWriter {
    /// How `alert(_:dates:)` writes an alert's times.
    public enum DateForm: Sendable {
        /// Seconds since 2001-01-01, as `JSONEncoder` writes a `Date` (the stores' documents).
        case secondsSinceReferenceDate
        /// RFC 3339 text with milliseconds (`RFC3339.string(from:)`), as the native alert format has them.
        case rfc3339
    }

    /// Writes `alert` as `JSONEncoder` encodes it (absent optionals left out), its times in `dates`' form.
    public mutating func alert(_ alert: Alert, dates: DateForm) throws {
        try object { writer in
            writer.key("labels")
            writer.strings(alert.labels)
            writer.key("annotations")
            writer.strings(alert.annotations)
            writer.key("source")
            writer.string(alert.source)
            writer.key("startsAt")
            try writer.date(alert.startsAt, dates)
            if let endsAt = alert.endsAt {
                writer.key("endsAt")
                try writer.date(endsAt, dates)
            }
            if let generatorURL = alert.generatorURL {
                writer.key("generatorURL")
                writer.string(generatorURL)
            }
        }
    }

    /// Writes `rating` as `JSONEncoder` encodes it for a store (`CodingUserInfoKey.storedRating`):
    /// without the learned features.
    public mutating func rating(_ rating: Rating) throws {
        try object { writer in
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

    /// The text `rating(_:)` writes: a rating as the stores keep it and Kafka records carry it.
    public static func text(of rating: Rating) throws -> String {
        var writer = JSONWriter()
        try writer.rating(rating)
        return writer.text
    }

    private mutating func date(_ date: Date, _ form: DateForm) throws {
        switch form {
        case .secondsSinceReferenceDate: try self.date(date)
        case .rfc3339: rfc3339(date)
        }
    }

    /// `date` as an RFC 3339 string (`RFC3339.string(from:)`).
    public mutating func rfc3339(_ date: Date) {
        bytes.append(UInt8(ascii: "\""))
        RFC3339.append(date, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }
}
