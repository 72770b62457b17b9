import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import NIOPosix

/// `http-floor`: an HTTP server that does nothing but read each request's body and answer
/// `202` with a short JSON body, on SwiftNIO alone or on Hummingbird 2 (alertd's HTTP stack),
/// so that bench/compare can show how fast Swift can answer the benchmark's requests on this
/// machine before any of alertd's own work.
///
///     http-floor nio|hummingbird PORT
@main
struct HTTPFloor {
    static let answer = #"{"accepted":1}"#

    static func main() async throws {
        let arguments = CommandLine.arguments.dropFirst()
        guard arguments.count == 2, let stack = arguments.first, ["nio", "hummingbird"].contains(stack),
            let port = Int(arguments.last!)
        else {
            print("usage: http-floor nio|hummingbird PORT")
            exit(64)
        }
        if stack == "nio" {
            try await serveOnNIO(port: port)
        } else {
            try await serveOnHummingbird(port: port)
        }
    }

    static func serveOnHummingbird(port: Int) async throws {
        let router = Router()
        router.post("/**") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            return Response(
                status: .accepted, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: answer)))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        try await app.runService()
    }

    static func serveOnNIO(port: Int) async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(AcceptingHandler())
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        try await channel.closeFuture.get()
    }
}
