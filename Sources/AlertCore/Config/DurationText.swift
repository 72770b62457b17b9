import Foundation

/// Durations written the Prometheus way: `90s`, `5m`, `1h30m`, `7d`, `2w`, `500ms`.
public enum DurationText {
    /// Seconds, or nil when `text` is not a duration.
    public static func seconds(_ text: String) -> TimeInterval? {
        var total = 0.0
        var digits = ""
        var index = text.startIndex
        guard !text.isEmpty else { return nil }
        while index < text.endIndex {
            let character = text[index]
            if character.isASCII, character.isNumber {
                digits.append(character)
                index = text.index(after: index)
                continue
            }
            guard let amount = Double(digits) else { return nil }
            let rest = text[index...]
            let (unit, length): (Double, Int)
            if rest.hasPrefix("ms") {
                (unit, length) = (0.001, 2)
            } else {
                switch character {
                case "s": (unit, length) = (1, 1)
                case "m": (unit, length) = (60, 1)
                case "h": (unit, length) = (3_600, 1)
                case "d": (unit, length) = (86_400, 1)
                case "w": (unit, length) = (604_800, 1)
                default: return nil
                }
            }
            total += amount * unit
            digits = ""
            index = text.index(index, offsetBy: length)
        }
        return digits.isEmpty ? total : nil
    }
}
