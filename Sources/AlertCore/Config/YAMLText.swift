import Foundation

/// Pieces of YAML written by hand: scalars double-quoted in JSON's string syntax, which YAML
/// reads the same, and flow lists of them.
public enum YAMLText {
    /// `text` as a double-quoted scalar.
    public static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        return String(decoding: (try? encoder.encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }

    /// `[ "a", "b" ]` of quoted scalars.
    public static func list(_ items: [String]) -> String {
        "[" + items.map(quoted).joined(separator: ", ") + "]"
    }
}
