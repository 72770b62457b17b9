import AlertCore
import Foundation
import Hummingbird

/// A JSON response with RFC 3339 dates and sorted keys.
struct JSONBody<Value: Encodable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var value: Value

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try RFC3339.jsonEncoder().encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
