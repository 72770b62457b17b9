import AlertCore
import Foundation
import Testing

@Suite struct AdmissionLevelTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    @Test func slowWritesShrinkTheShareAtMostOncePerSecondDownToTheMinimum() {
        var level = AdmissionLevel(target: 0.25, now: start)
        level.observe(latency: 2, at: at(0.5))
        #expect(level.share == 1, "no cut within a second of the last change")
        level.observe(latency: 2, at: at(1))
        #expect(abs(level.share - 0.7) < 1e-9)
        level.observe(latency: 2, at: at(1.5))
        #expect(abs(level.share - 0.7) < 1e-9, "one cut per second")
        for second in 2...40 { level.observe(latency: 2, at: at(Double(second))) }
        #expect(level.share == 0.05)
    }

    @Test func fastWritesBringTheShareBackStepByStep() {
        var level = AdmissionLevel(target: 0.25, now: start)
        for second in 1...10 { level.observe(latency: 2, at: at(Double(second))) }
        let low = level.share
        #expect(low < 0.1)
        // The smoothed latency first has to come down below the target.
        var time = 10.0
        while (level.smoothedLatency ?? 0) > 0.25 {
            time += 0.1
            level.observe(latency: 0.01, at: at(time))
        }
        let before = level.share
        level.observe(latency: 0.01, at: at(time + 2))
        #expect(abs(level.share - min(1, before + 0.1)) < 1e-9, "0.05 per second")
        level.observe(latency: 0.01, at: at(time + 60))
        #expect(level.share == 1)
    }

    @Test func anIdleProcessRecoversWithoutWrites() {
        var level = AdmissionLevel(target: 0.25, now: start)
        for second in 1...5 { level.observe(latency: 1, at: at(Double(second))) }
        #expect(level.share < 0.5)
        #expect(level.current(at: at(30)) == 1)
        #expect(level.smoothedLatency == nil, "old latency is forgotten")
    }

    @Test func latencyAtTheTargetKeepsTheFullShare() {
        var level = AdmissionLevel(target: 0.25, now: start)
        for tenth in 1...100 { level.observe(latency: 0.25, at: at(Double(tenth) / 10)) }
        #expect(level.share == 1)
    }
}
