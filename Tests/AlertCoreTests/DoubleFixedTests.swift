import Foundation
import Testing

@testable import AlertCore

/// `Double.fixed` writes what `String(format: "%.Nf")` writes; only a value whose scaled form
/// lies within a rounding error of a tie may round the other way.
@Suite struct DoubleFixedTests {
    @Test func writesWhatPrintfWrites() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 1, -1, 0.04, -0.04, 0.05, 0.25, 0.35, 2.5, 9.95, 99.99, 123_456.789, 1e-7, 999_999_999_999]
        for _ in 0..<20_000 {
            values.append(Double.random(in: -1_000...1_000, using: &generator))
            values.append(Double.random(in: 0...3, using: &generator))
        }
        for places in 0...3 {
            for value in values {
                let scaled = abs(value) * pow(10, Double(places))
                if abs(scaled - scaled.rounded(.down) - 0.5) < 1e-9 { continue }
                #expect(value.fixed(places) == String(format: "%.\(places)f", value), "\(value) with \(places) places")
            }
        }
    }

    @Test func farBeyondItsRangeItFallsBackToTheShortestForm() {
        #expect(1e20.fixed(1) == 1e20.description)
        #expect(Double.infinity.fixed(1) == "inf")
    }
}
