import Foundation

extension Matcher {
    /// The matchers of a string that may hold several, in braces or not, separated by commas
    /// outside quoted values: `{service="a,b", severity=~"crit.*"}`.
    public static func split(_ text: String) -> [String] {
        var body = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        if body.hasPrefix("{"), body.hasSuffix("}") { body = body.dropFirst().dropLast() }
        var parts: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in body {
            if escaped {
                escaped = false
            } else if character == "\\", quoted {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ",", !quoted {
                parts.append(current)
                current = ""
                continue
            }
            current.append(character)
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }
}
