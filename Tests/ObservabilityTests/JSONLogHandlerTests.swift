import Foundation
import Logging
import Observability
import Synchronization
import Testing

@Suite struct JSONLogHandlerTests {
    final class Lines: Sendable {
        let storage = Mutex<[Data]>([])
        func append(_ line: Data) { storage.withLock { $0.append(line) } }
        var all: [Data] { storage.withLock { $0 } }
    }

    @Test func writesOneJSONObjectPerLineWithMetadata() throws {
        let lines = Lines()
        var logger = Logger(label: "alertd") { label in JSONLogHandler(label: label, write: lines.append) }
        logger[metadataKey: "tenant"] = "acme"
        logger.info("routed", metadata: ["receiver": "oncall \"slack\""])
        logger.debug("hidden below info")
        #expect(lines.all.count == 1)
        let line = try #require(lines.all.first)
        #expect(line.last == 0x0A)
        #expect(line.dropLast().contains(0x0A) == false)
        let object = try #require(try JSONSerialization.jsonObject(with: line) as? [String: String])
        #expect(object["message"] == "routed")
        #expect(object["level"] == "info")
        #expect(object["label"] == "alertd")
        #expect(object["tenant"] == "acme")
        #expect(object["receiver"] == "oncall \"slack\"")
        #expect(object["timestamp"].flatMap { try? Date($0, strategy: .iso8601) } != nil)
    }
}
