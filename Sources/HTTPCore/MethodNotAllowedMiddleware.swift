import Hummingbird

/// Answers `405 Method Not Allowed` with an `Allow` header, instead of `404`, when a
/// request's path is routed but not for its method. Add it after every route: it then runs
/// only for requests no route took.
public struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Route patterns, split into segments (`{name}` or `:name` match any segment), with
    /// their methods.
    let patterns: [(segments: [Substring], methods: [String])]

    /// `routes` are the router's (method, path pattern) pairs.
    public init(routes: [(method: String, path: String)]) {
        var methods: [String: Set<String>] = [:]
        for route in routes { methods[route.path, default: []].insert(route.method) }
        patterns = methods.map { (path, methods) in (path.split(separator: "/"), methods.sorted()) }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let segments = request.uri.path.split(separator: "/")
            let allowed = patterns.first { Self.matches($0.segments, segments) }?.methods ?? []
            guard !allowed.isEmpty else { throw error }
            var response = try Problem(
                status: .methodNotAllowed, title: "Method Not Allowed",
                detail: "\(request.uri.path) answers \(allowed.joined(separator: ", ")), not \(request.method)"
            ).response(from: request, context: context)
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        }
    }

    static func matches(_ pattern: [Substring], _ segments: [Substring]) -> Bool {
        pattern.count == segments.count
            && zip(pattern, segments).allSatisfy { $0.hasPrefix("{") || $0.hasPrefix(":") || $0 == $1 }
    }
}
