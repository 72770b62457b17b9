import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A browser's part in a console test: keeps the cookies alertd sets, reads each page's CSRF
/// token and posts forms the way a browser does.
final class ConsoleBrowser {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    /// The CSRF token of the last page read.
    var csrf: String?

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    /// Signs in with `token` through the sign-in form.
    @discardableResult
    func signIn(token: String) async throws -> TestResponse {
        _ = try await get("/ui/sign-in")
        return try await post("/ui/sign-in", ["token": token])
    }

    func get(_ path: String, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if !cookies.isEmpty { headers[.cookie] = cookieHeader }
        let response = try await client.execute(uri: path, method: .get, headers: headers)
        keep(response)
        return response
    }

    /// Posts `fields` as a form, with the page's CSRF token unless `csrf` says otherwise.
    func post(_ path: String, _ fields: [String: String] = [:], csrf: String?? = .none, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var fields = fields
        switch csrf {
        case .none: fields["csrf"] = self.csrf
        case .some(let value?): fields["csrf"] = value
        case .some(nil): break
        }
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        if !cookies.isEmpty { headers[.cookie] = cookieHeader }
        let body = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.encode($0.value))" }.joined(separator: "&")
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        keep(response)
        return response
    }

    var cookieHeader: String {
        cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
    }

    /// The Set-Cookie values of a response.
    static func setCookies(_ response: TestResponse) -> [String] {
        response.headers[values: .setCookie]
    }

    private func keep(_ response: TestResponse) {
        for header in Self.setCookies(response) {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || header.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        let page = String(buffer: response.body)
        if let range = page.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) {
            csrf = String(page[range]).components(separatedBy: "value=\"")[1].replacingOccurrences(of: "\"", with: "")
        }
    }

    private static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}
