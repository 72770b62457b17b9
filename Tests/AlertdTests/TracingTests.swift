import Foundation
import Hummingbird
import NIOCore
import Testing
import TestSupport

/// Stands in for an OpenTelemetry collector: takes OTLP/HTTP JSON trace exports on
/// `/v1/traces` and keeps their spans.
actor OTLPCollector {
    struct Span: Sendable {
        var traceID: String
        var spanID: String
        var parentSpanID: String
        var name: String
        var kind: Int
    }

    private(set) var spans: [Span] = []

    /// OTLP JSON carries ids as hex; protobuf's JSON mapping writes bytes as base64. Both are
    /// read as lowercase hex.
    static func hex(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "" }
        if text.count == 32 || text.count == 16, text.allSatisfy(\.isHexDigit) { return text.lowercased() }
        guard let data = Data(base64Encoded: text) else { return text }
        return data.map { String(format: "%02x", $0) }.joined()
    }

    func take(_ body: Data) throws {
        let export = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        for resource in export?["resourceSpans"] as? [[String: Any]] ?? [] {
            for scope in resource["scopeSpans"] as? [[String: Any]] ?? [] {
                for span in scope["spans"] as? [[String: Any]] ?? [] {
                    spans.append(
                        Span(
                            traceID: Self.hex(span["traceId"] as? String), spanID: Self.hex(span["spanId"] as? String),
                            parentSpanID: Self.hex(span["parentSpanId"] as? String), name: span["name"] as? String ?? "",
                            kind: span["kind"] as? Int ?? 0))
                }
            }
        }
    }

    func spans(ofTrace traceID: String) -> [Span] { spans.filter { $0.traceID == traceID } }

    func serve<T: Sendable>(_ body: @Sendable (Int) async throws -> T) async throws -> T {
        let router = Hummingbird.Router()
        router.post("v1/traces") { request, _ -> Response in
            var request = request
            guard request.headers[.contentType]?.hasPrefix("application/json") == true else { return Response(status: .unsupportedMediaType) }
            try await self.take(Data(buffer: try await request.collectBody(upTo: 4 << 20)))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        return try await LocalHTTPServer.serve(router: router, body)
    }
}

/// One alert, one trace: a real `alertd serve` exporting OTLP to a local collector continues
/// the producer's `traceparent` through rating, the store (and Kafka), routing and delivery,
/// and the sink receives the same trace.
@Suite(.serialized) struct TracingTests {
    static func randomHex(_ bytes: Int) -> String {
        (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 1...255)) }.joined()
    }

    /// `spanID` and the ids of its parents, as far as `spans` know them.
    static func ancestors(of spanID: String, in spans: [OTLPCollector.Span]) -> [String] {
        var chain = [spanID]
        while let parent = spans.first(where: { $0.spanID == chain.last })?.parentSpanID, !parent.isEmpty, !chain.contains(parent) {
            chain.append(parent)
        }
        return chain
    }

    @Test(arguments: [false, true]) func oneTraceCoversAnAlertFromTheProducerToTheSink(throughKafka: Bool) async throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let suffix = deployment.acme.split(separator: "-").last!
        let kafkaArguments =
            throughKafka
            ? [
                "--kafka-brokers", try TestDeployment.environment("ALERTD_TEST_KAFKA_BROKERS"), "--kafka-topic-prefix", "trace-\(suffix)",
                "--kafka-group", "trace-\(suffix)",
            ] : []
        let collector = OTLPCollector()
        let hook = ScriptedReceiver()
        try await collector.serve { collectorPort in
            try await hook.serve { hookPort in
                let server = try await AlertdServer(
                    deployment,
                    arguments: ["--otlp-endpoint", "http://127.0.0.1:\(collectorPort)/v1/traces", "--otlp-protocol", "http/json"]
                        + kafkaArguments,
                    environment: ["HOOK_URL": "http://127.0.0.1:\(hookPort)/hook", "HOOK_SECRET": "s3cret"])
                defer { server.terminate() }
                let token = try await server.token("acme", "alerts:write")
                let traceID = Self.randomHex(16)
                let producerSpan = Self.randomHex(8)
                let posted = try await server.request(
                    "/v1/alerts", token: token, body: #"{"labels": {"alertname": "Traced", "service": "checkout", "severity": "critical"}}"#,
                    headers: [("traceparent", "00-\(traceID)-\(producerSpan)-01")])
                #expect(posted.status == 202, "\(posted.body)")

                #expect(try await eventually(seconds: 60) { await !hook.received.isEmpty }, "the webhook gets the alert")
                let sinkTrace = try #require(await hook.received.first?.headers["traceparent"])
                #expect(sinkTrace.split(separator: "-").dropFirst().first.map(String.init) == traceID, "the sink sees the producer's trace")

                var expected: Set<String> = ["alert.rate", "alert.accept", "store.record", "alert.route", "notification.deliver"]
                if throughKafka { expected = ["alert.rate", "alert.accept", "kafka.produce", "kafka.consume", "alert.route", "notification.deliver"] }
                let exported = try await eventually(seconds: 30) {
                    expected.isSubset(of: Set(await collector.spans(ofTrace: traceID).map(\.name)))
                }
                let spans = await collector.spans(ofTrace: traceID)
                let exportedCount = await collector.spans.count
                #expect(exported, "spans of the trace: \(spans.map(\.name)); all spans: \(exportedCount)")
                let httpSpan = spans.first { $0.kind == 2 }
                #expect(httpSpan?.parentSpanID == producerSpan, "the HTTP span continues the producer's span")
                let delivery = try #require(spans.first { $0.name == "notification.deliver" })
                let sinkParent = String(sinkTrace.split(separator: "-")[2])
                let chain = Self.ancestors(of: sinkParent, in: spans)
                #expect(chain.contains(delivery.spanID), "the sink's parent is the delivery span or below it: \(sinkTrace), \(spans)")
                let ids = Set(spans.map(\.spanID))
                #expect(spans.allSatisfy { $0.kind == 2 || ids.contains($0.parentSpanID) }, "every span but the HTTP one has its parent in the trace")
                await server.stop()
            }
        }
    }
}
