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

    static let ratings: [Rating] = [
        Rating(score: 0, priority: .p5, urgent: false, factors: []),
        Rating(
            score: 0.72, priority: .p2, urgent: true,
            factors: [
                RatingFactor(name: "severity", value: 0.9, weight: 0.5, contribution: 0.45, detail: "severity \"critical\"\n"),
                RatingFactor(name: "reliability", value: 1.0 / 3, weight: 0.25, contribution: 1.0 / 12, detail: "ünïcødé ✓ 🚨 a/b"),
            ]),
        Rating(
            score: 1e-7, priority: .p4, urgent: false, factors: [RatingFactor(name: "history", value: 0, weight: 1, contribution: 0, detail: "")],
            learned: LearnedRating(probability: 0.125, handover: 50.0 / 51, assessment: nil)),
        Rating(
            score: 1, priority: .p1, urgent: true, factors: [],
            learned: LearnedRating(
                probability: 0.999, handover: 0.5,
                assessment: Assessment(
                    base: 0.2, baseRate: 0.1,
                    features: [Assessment.Feature(name: "rule", key: "Disk\tfull", input: 1, rate: nil, weight: 0.3, detail: "passed over")]))),
    ]

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
        for rating in Self.ratings {
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
