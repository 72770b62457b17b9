import Foundation
import Testing

@testable import AlertCore
@testable import Storage

/// The hand-written documents of every ingested alert are the documents `JSONEncoder` writes:
/// the same JSON values (numbers compared as doubles), read back to the same alert, rating and
/// event; a number JSON cannot hold is refused, as `JSONEncoder` refuses it.
@Suite struct StoredJSONTests {
    static let numbers: [Double] = [
        0, -0.0, 1, -1, 0.5, 0.1, 1.0 / 3, 123.456, 1e-7, 5e-324, 1e15, 1e15 + 0.5, 1e16, 9.007_199_254_740_993e15, 1e300, -2.5e-300,
        Double.greatestFiniteMagnitude, 821_000_000.123_456, -978_307_200,
    ]
    static let texts = [
        "", "plain", "quote \" and backslash \\", "slash / and tab \t and newline \n and return \r", "\u{0} \u{1} \u{1F} \u{7F}",
        "ünïcødé ✓ 🚨", "\u{2028}\u{2029}", "{\"looks\": [\"like\", \"json\"]}",
    ]

    func alert(_ index: Int) -> Alert {
        let text = Self.texts[index % Self.texts.count]
        let number = Self.numbers[index % Self.numbers.count]
        var labels = ["alertname": "Rule\(index)", "service": text]
        if index % 3 == 0 { labels[text + "-key"] = text }
        return Alert(
            labels: labels, annotations: index % 2 == 0 ? [:] : ["summary": text, "description": "\(index)"],
            source: index % 4 == 0 ? nil : text, startsAt: Date(timeIntervalSinceReferenceDate: number),
            endsAt: index % 5 == 0 ? Date(timeIntervalSinceReferenceDate: Self.numbers[(index + 3) % Self.numbers.count]) : nil,
            generatorURL: index % 2 == 1 ? "http://prometheus/graph?g0.expr=up%3D%3D0&\(text)" : nil)
    }

    func rating(_ index: Int) -> Rating {
        let number = { (offset: Int) in Self.numbers[(index + offset) % Self.numbers.count] }
        let factors = (0..<(index % 4)).map {
            RatingFactor(name: "factor\($0)", value: number($0), weight: number($0 + 1), contribution: number($0 + 2), detail: Self.texts[($0 + index) % Self.texts.count])
        }
        let assessment = Assessment(
            base: number(1), baseRate: number(2),
            features: [Assessment.Feature(name: "rule", key: "Rule\(index)", input: number(3), rate: nil, weight: number(4), detail: "kept out")])
        return Rating(
            score: number(0), priority: Priority.allCases[index % Priority.allCases.count], urgent: index % 2 == 0, factors: factors,
            learned: index % 3 == 0 ? nil : LearnedRating(probability: number(5), handover: number(6), assessment: index % 3 == 1 ? assessment : nil))
    }

    func sameValue<T: Encodable>(_ written: String, as value: T) throws {
        let encoded = try StoredJSON.encoder().encode(value)
        #expect(try JSONValue.parse(Data(written.utf8)) == JSONValue.parse(encoded), "\(written)")
    }

    @Test func alertsRatingsAndEventsAreTheDocumentsJSONEncoderWrites() throws {
        let decoder = JSONDecoder()
        for index in 0..<200 {
            let alert = alert(index)
            let written = try StoredJSON.alert(alert)
            try sameValue(written, as: alert)
            #expect(try decoder.decode(Alert.self, from: Data(written.utf8)) == alert)

            let rating = rating(index)
            var stored = rating
            stored.learned?.assessment = nil
            let writtenRating = try StoredJSON.rating(rating)
            try sameValue(writtenRating, as: stored)
            #expect(try decoder.decode(Rating.self, from: Data(writtenRating.utf8)) == stored, "the learned features are not stored")

            let event = EventPayload(
                alert: alert, status: index % 2 == 0 ? .firing : .resolved, rating: rating,
                traceparent: index % 2 == 0 ? nil : "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            let writtenEvent = try StoredJSON.event(event)
            let storedEvent = EventPayload(alert: alert, status: event.status, rating: stored, traceparent: event.traceparent)
            try sameValue(writtenEvent, as: storedEvent)
            let read = try decoder.decode(EventPayload.self, from: Data(writtenEvent.utf8))
            #expect(read.alert == alert && read.status == event.status && read.rating == stored && read.traceparent == event.traceparent)
        }
    }

    @Test(arguments: [Double.infinity, -Double.infinity, Double.nan])
    func aNumberJSONCannotHoldIsRefused(score: Double) {
        var rating = rating(1)
        rating.score = score
        #expect(throws: EncodingError.self) { try StoredJSON.rating(rating) }
        #expect(throws: EncodingError.self) { try StoredJSON.encoder().encode(rating) }
    }
}
