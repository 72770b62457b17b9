import AlertCore
import Foundation
import Testing

@Suite struct FiringAlertsTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func alert(_ name: String, resolved: Bool = false) -> Alert {
        Alert(labels: ["alertname": name], startsAt: now.addingTimeInterval(-60), endsAt: resolved ? now.addingTimeInterval(-1) : nil)
    }

    @Test func countsNewFiringAlertsOnceAndResolutionsOfFiringOnes() {
        let known = FiringAlerts(count: 5, among: [alert("A").fingerprint])
        #expect(known.after([], at: now) == 5)
        #expect(known.after([alert("A"), alert("A")], at: now) == 5, "a repeat adds nothing")
        #expect(known.after([alert("B"), alert("B"), alert("C")], at: now) == 7, "a new alert counts once however often it comes")
        #expect(known.after([alert("A", resolved: true)], at: now) == 4)
        #expect(known.after([alert("B", resolved: true)], at: now) == 5, "resolving an alert that is not firing frees nothing")
        #expect(known.after([alert("A", resolved: true), alert("A")], at: now) == 5, "the last state of an alert in a batch counts")
        #expect(known.after([alert("B"), alert("B", resolved: true)], at: now) == 5)
    }
}
