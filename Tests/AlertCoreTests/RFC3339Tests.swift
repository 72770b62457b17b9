import AlertCore
import Foundation
import Testing

@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2026-11-23T10:00:00Z", 1_795_428_000.0),
        ("2026-11-23T10:00:00.250Z", 1_795_428_000.25),
        ("2026-11-23t10:00:00z", 1_795_428_000.0),
        ("2026-11-23T12:30:00+02:30", 1_795_428_000.0),
        ("2026-11-23T05:00:00-05:00", 1_795_428_000.0),
        ("2024-02-29T00:00:00Z", 1_709_164_800.0),
        ("1969-12-31T23:59:59Z", -1.0),
        ("0001-01-01T00:00:00Z", -62_135_596_800.0),
    ])
    func parsesValidTimes(text: String, seconds: Double) {
        #expect(RFC3339.date(from: text)?.timeIntervalSince1970 == seconds, "\(text)")
    }

    @Test(arguments: [
        "2024-01-01T12:99:00Z", "2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-23T24:00:00Z",
        "2026-11-23T10:00:60Z", "2026-11-23 10:00:00Z", "2026-11-23T10:00:00", "2026-11-23T10:00:00+0200", "2026-11-23T10:00:00.Z",
        "2026-11-23T10:00:00.1234567891Z", "2026-11-23T10:00:00Zjunk", "２026-11-23T10:00:00Z", "", "not a time",
    ])
    func refusesWhatIsNotRFC3339(text: String) {
        #expect(RFC3339.date(from: text) == nil, "\(text)")
    }

    @Test func readsWhatItWrites() {
        let date = Date(timeIntervalSince1970: 1_795_428_000.125)
        #expect(RFC3339.date(from: RFC3339.string(from: date)) == date)
    }
}
