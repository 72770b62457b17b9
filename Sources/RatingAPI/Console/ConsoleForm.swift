import Foundation
import Hummingbird

/// The fields of an `application/x-www-form-urlencoded` body or query, in order; a name may
/// repeat.
struct ConsoleForm: Sendable, Equatable {
    var fields: [(name: String, value: String)]

    init(_ text: String) {
        fields = text.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// The first value of `name`.
    subscript(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    static func == (lhs: ConsoleForm, rhs: ConsoleForm) -> Bool {
        lhs.fields.elementsEqual(rhs.fields) { $0.name == $1.name && $0.value == $1.value }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}

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
