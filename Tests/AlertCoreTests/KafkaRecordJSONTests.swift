import Foundation
import Testing

@testable import AlertCore

/// What Kafka records carry, written by hand: the alert in the native format reads back through
/// `NativeAlertDecoder` as the same alert (times to the millisecond) and is the document
/// `RFC3339.jsonEncoder()` writes; a rating header reads back as the rating the stores keep,
/// from the hand-written document and from `JSONEncoder`'s (learned features passed over).
@Suite struct KafkaRecordJSONTests {
    static let texts = ["", "plain", "quote \" and backslash \\", "tab \t newline \n", "\u{1} \u{1F}", "ünïcødé ✓ 🚨", "a/b"]

    func alert(_ index: Int) -> Alert {
        let text = Self.texts[index % Self.texts.count]
        // As `RFC3339.date(from:)` reads them: whole seconds plus the fraction.
        let second = 1_700_000_000 + index * 7_919 % 100_000
        let time = { (later: Int) in Date(timeIntervalSince1970: Double(second + later) + Double(index % 1_000) / 1_000) }
        var labels = ["alertname": "Rule\(index)", "service": text]
        if index % 3 == 0 { labels["instance_\(index)"] = text }
        return Alert(
            labels: labels, annotations: index % 2 == 0 ? [:] : ["summary": text, "description": "\(index)"],
            source: index % 4 == 0 ? nil : "source \(text)", startsAt: time(0), endsAt: index % 5 == 0 ? time(61) : nil,
            generatorURL: index % 2 == 1 ? "http://prometheus/graph?g0.expr=up%3D%3D0&\(text)" : nil)
    }

    func rating(_ index: Int) -> Rating {
        let number = { (offset: Int) in Double((index + offset) * 37 % 101) / 100 }
        let factors = (0..<(index % 4)).map {
            RatingFactor(name: "factor\($0)", value: number($0), weight: number($0 + 1), contribution: number($0 + 2), detail: Self.texts[($0 + index) % Self.texts.count])
        }
        let assessment = Assessment(
            base: number(1), baseRate: number(2),
            features: [Assessment.Feature(name: "rule", key: "Rule\(index)", input: number(3), rate: nil, weight: number(4), detail: "passed over")])
        return Rating(
            score: number(0), priority: Priority.allCases[index % Priority.allCases.count], urgent: index % 2 == 0, factors: factors,
            learned: index % 3 == 0 ? nil : LearnedRating(probability: number(5), handover: number(6), assessment: index % 3 == 1 ? assessment : nil))
    }

    @Test func anAlertReadsBackThroughTheNativeDecoder() throws {
        let decoder = NativeAlertDecoder(maxBatchSize: 1)
        for index in 0..<300 {
            let alert = alert(index)
            var writer = JSONWriter()
            try writer.alert(alert, dates: .rfc3339)
            let read = try decoder.decode(Data(writer.bytes), receivedAt: Date())
            #expect(read == [alert], "\(writer.text)")
            #expect(try JSONValue.parse(Data(writer.bytes)) == JSONValue.parse(RFC3339.jsonEncoder().encode(alert)))
        }
    }

    @Test func aRatingReadsBackAsTheStoredRating() throws {
        for index in 0..<300 {
            let rating = rating(index)
            var stored = rating
            stored.learned?.assessment = nil
            var writer = JSONWriter()
            try writer.rating(rating)
            #expect(Rating(document: try JSONValue.parse(Data(writer.bytes))) == stored, "\(writer.text)")
            #expect(Rating(document: try JSONValue.parse(RFC3339.jsonEncoder().encode(rating))) == stored, "the learned features are passed over")
            #expect(try JSONDecoder().decode(Rating.self, from: Data(writer.bytes)) == stored)
        }
    }

    @Test(arguments: [
        #"{"priority": "P1", "urgent": true, "factors": []}"#, #"{"score": "1", "priority": "P1", "urgent": true, "factors": []}"#,
        #"{"score": 1, "priority": "P9", "urgent": true, "factors": []}"#, #"{"score": 1, "priority": "P1", "urgent": 1, "factors": []}"#,
        #"{"score": 1, "priority": "P1", "urgent": true}"#, #"{"score": 1, "priority": "P1", "urgent": true, "factors": [{"name": "x"}]}"#,
        #"{"score": 1, "priority": "P1", "urgent": true, "factors": [], "learned": {"probability": 0.5}}"#, #"[1]"#, #""text""#,
    ])
    func aDocumentMissingAMemberOrOfAnotherTypeIsNoRating(text: String) throws {
        #expect(Rating(document: try JSONValue.parse(Data(text.utf8))) == nil, "\(text)")
    }
}
