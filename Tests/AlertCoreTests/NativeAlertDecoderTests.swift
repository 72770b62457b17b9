import AlertCore
import Foundation
import Testing

@Suite struct NativeAlertDecoderTests {
    let decoder = NativeAlertDecoder(maxBatchSize: 3)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func decode(_ json: String) throws(AlertPayloadError) -> [Alert] {
        try decoder.decode(Data(json.utf8), receivedAt: now)
    }

    func failure(_ json: String) -> AlertPayloadError? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return error
        }
    }

    @Test func decodesOneAlertWithDefaults() throws {
        let alerts = try decode(#"{"labels": {"alertname": "DiskFull", "job": "node", "severity": "warning"}}"#)
        #expect(alerts.count == 1)
        #expect(alerts[0].name == "DiskFull")
        #expect(alerts[0].source == "node")
        #expect(alerts[0].startsAt == now)
        #expect(alerts[0].status(at: now) == .firing)
    }

    @Test func decodesABatchWithTimesAndSource() throws {
        let alerts = try decode(
            #"""
            {"alerts": [
              {"labels": {"alertname": "A"}, "source": "prom-eu", "startsAt": "2026-11-23T10:00:00Z",
               "endsAt": "2026-11-23T10:05:00.250Z", "annotations": {"summary": "s"}, "generatorURL": "http://g"},
              {"labels": {"alertname": "B", "source": "label-source"}}
            ]}
            """#)
        #expect(alerts.map(\.name) == ["A", "B"])
        #expect(alerts[0].source == "prom-eu")
        #expect(alerts[1].source == "label-source")
        #expect(alerts[0].endsAt!.timeIntervalSince(alerts[0].startsAt) == 300.25)
        #expect(alerts[0].status(at: now) == .resolved)
        #expect(alerts[0].annotations["summary"] == "s")
    }

    @Test(arguments: [
        (#"{"labels": {"service": "x"}}"#, "labels.alertname"),
        (#"{"alerts": [{"labels": {"alertname": "a"}}, {"labels": {}}]}"#, "alerts[1].labels.alertname"),
        (#"{"alerts": [{"labels": {"alertname": 3}}]}"#, "alerts[0].labels.alertname"),
        (#"{"labels": {"alertname": "a", "bad-name": "x"}}"#, "labels.bad-name"),
        (#"{"labels": {"alertname": "a"}, "startsAt": "yesterday"}"#, "startsAt"),
        (#"{"labels": {"alertname": "a"}, "startsAt": "2026-11-23T10:00:00Z", "endsAt": "2026-11-23T09:00:00Z"}"#, "endsAt"),
        (#"{"labels": {"alertname": "a"}, "colour": "red"}"#, "colour"),
        (#"{"alerts": {}}"#, "alerts"),
        (#"{"alerts": []}"#, "alerts"),
        (#"{"alerts": [{"labels": {"alertname": "a"}}, {"labels": {"alertname": "b"}}, {"labels": {"alertname": "c"}}, {"labels": {"alertname": "d"}}]}"#, "alerts"),
        (#"[1, 2]"#, ""),
        (#"{"labels": "#, ""),
        (#"{"labels": {"alertname": "a"}, "source": ""}"#, "source"),
    ])
    func refusesWithTheFieldPath(json: String, path: String) {
        #expect(failure(json)?.path == path)
    }

    /// Random and mutated bodies only ever decode or fail with a payload error.
    @Test func survivesMutatedInput() {
        var generator = SplitMix(seed: 42)
        let seeds = [
            #"{"alerts": [{"labels": {"alertname": "A", "severity": "critical"}, "startsAt": "2026-11-23T10:00:00Z"}]}"#,
            #"{"labels": {"alertname": "B"}, "annotations": {"x": "y"}, "endsAt": "2026-11-23T10:00:00Z"}"#,
        ].map { Array($0.utf8) }
        var decoded = 0
        var refused = 0
        for round in 0..<3_000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: generator.next())
                case 1: bytes.remove(at: position)
                default: bytes.insert(Array(#"{}[]":,\0"#.utf8)[Int(generator.next() % 9)], at: position)
                }
            }
            if (try? decoder.decode(Data(bytes), receivedAt: now)) != nil { decoded += 1 } else { refused += 1 }
        }
        #expect(decoded + refused == 3_000)
        #expect(refused > 0)
    }
}

/// A small deterministic random source for fuzzing.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
