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

    /// A time read from text of whole milliseconds is written as that text (the Foundation
    /// formatter wrote `.000` for `.001`); any other time is written cut to the millisecond
    /// (a microsecond below one counts as it); the calendar date and time of day are the
    /// Foundation formatter's.
    @Test func writesTheMillisecondsItRead() throws {
        var generator = SystemRandomNumberGenerator()
        for ms in 0..<1_000 {
            let text = "2023-11-14T22:13:20.\(String(ms + 1_000).dropFirst())Z"
            #expect(RFC3339.string(from: try #require(RFC3339.date(from: text))) == text)
        }
        for _ in 0..<5_000 {
            let components = [
                Int.random(in: 1_583...9_999, using: &generator), Int.random(in: 1...12, using: &generator), Int.random(in: 1...28, using: &generator),
                Int.random(in: 0...23, using: &generator), Int.random(in: 0...59, using: &generator), Int.random(in: 0...59, using: &generator),
                Int.random(in: 0...999, using: &generator),
            ].map { String($0 + 10_000).dropFirst() }
            let text = "\(components[0])-\(components[1].dropFirst(2))-\(components[2].dropFirst(2))T\(components[3].dropFirst(2)):"
                + "\(components[4].dropFirst(2)):\(components[5].dropFirst(2)).\(components[6].dropFirst())Z"
            #expect(RFC3339.string(from: try #require(RFC3339.date(from: text))) == text, "\(text)")
        }
        for _ in 0..<5_000 {
            let time = Double.random(in: -12_212_553_600..<253_402_300_799, using: &generator)
            let written = try #require(RFC3339.date(from: RFC3339.string(from: Date(timeIntervalSince1970: time)))).timeIntervalSince1970
            let slack = 1e-6 + 4 * time.ulp
            #expect(written <= time + slack && written > time - 1e-3 - slack, "\(time)")
        }
        let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        var seconds: [Double] = [0, -1, 951_782_400, 4_107_542_400, -12_212_553_600, -12_212_553_601, 253_402_300_798, 253_402_300_799]
        seconds += (0..<5_000).map { _ in Double(Int.random(in: -12_300_000_000...253_500_000_000, using: &generator)) }
        for second in seconds {
            let date = Date(timeIntervalSince1970: second)
            #expect(RFC3339.string(from: date) == date.formatted(style), "\(second)")
        }
    }

    @Test func readsWhatItWrites() {
        let date = Date(timeIntervalSince1970: 1_795_428_000.125)
        #expect(RFC3339.date(from: RFC3339.string(from: date)) == date)
    }
}
