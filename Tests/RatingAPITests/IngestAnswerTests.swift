import AlertCore
import Foundation
import Testing

@testable import RatingAPI

/// The hand-written answer to an ingest request is the document `JSONBody` writes for the same
/// ratings without explanations.
@Suite struct IngestAnswerTests {
    @Test func isTheDocumentJSONBodyWrites() throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let texts = ["Disk/Full", "quote \" and \\ and \n", "ünïcødé 🚨", ""]
        for count in [0, 1, 3, 20] {
            let rated = (0..<count).map { index in
                let score = [0, 1, 0.5, 1.0 / 3, 0.123_456_789, 1e-7][index % 6]
                let alert = Alert(labels: ["alertname": texts[index % texts.count], "instance": "host-\(index)"], startsAt: start)
                return RatedAlert(
                    alert: alert, status: index % 2 == 0 ? .firing : .resolved,
                    rating: Rating(score: score, priority: Priority(score: score, threshold: 0.75), urgent: score >= 0.75, factors: []))
            }
            let written = try IngestAnswer(status: .accepted, alerts: rated).json()
            let encoded = try RFC3339.jsonEncoder().encode(RatingList(alerts: rated.map { RatingView($0, explain: false) }))
            #expect(try JSONValue.parse(Data(written)) == JSONValue.parse(encoded))
        }
    }
}
