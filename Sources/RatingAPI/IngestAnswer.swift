import AlertCore
import Hummingbird

/// The answer to an ingest request: each alert's name, fingerprint, priority, score, status
/// and urgency, the document `JSONBody` writes for a `RatingList` without explanations (keys
/// sorted), written by a `JSONWriter`, since `JSONEncoder` took a few percent of ingest's time
/// for this one small shape.
struct IngestAnswer: ResponseGenerator {
    var status: HTTPResponse.Status
    var alerts: [RatedAlert]

    func json() throws -> [UInt8] {
        var writer = JSONWriter(capacity: 32 + 192 * alerts.count)
        try writer.object { writer in
            writer.key("alerts")
            try writer.array { writer in
                for rated in alerts {
                    writer.element()
                    try writer.object { writer in
                        writer.key("alertname")
                        writer.string(rated.alert.name)
                        writer.key("fingerprint")
                        writer.string(rated.alert.fingerprint.rawValue)
                        writer.key("priority")
                        writer.string(rated.rating.priority.rawValue)
                        writer.key("score")
                        try writer.number(rated.rating.score)
                        writer.key("status")
                        writer.string(rated.status.rawValue)
                        writer.key("urgent")
                        writer.bool(rated.rating.urgent)
                    }
                }
            }
        }
        return writer.bytes
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try json())))
    }
}
