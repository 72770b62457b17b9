import Foundation
import HTTPCore
import Hummingbird

extension Request {
    /// The query as a browser's GET form writes it (`+` for a space).
    var consoleQueryForm: ConsoleForm { ConsoleForm(uri.query ?? "") }

    /// The first value of `name` in the query.
    func consoleQuery(_ name: String) -> String? { consoleQueryForm[name] }
}

extension String {
    /// Equal to `other`, compared in time that does not depend on where they differ.
    func constantTimeEquals(_ other: String) -> Bool {
        let left = Array(utf8), right = Array(other.utf8)
        guard left.count == right.count else { return false }
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Percent-encoded for a query value.
    var queryEncoded: String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return addingPercentEncoding(withAllowedCharacters: allowed) ?? self
    }
}
