import AlertCore
import Foundation

/// A time as the console shows it: absolute (UTC) and relative to when the page was made; the
/// page's script keeps the relative part current.
struct ConsoleTime {
    var iso: String
    var absolute: String
    var relative: String

    init(_ date: Date, now: Date) {
        iso = date.formatted(.iso8601)
        absolute = iso.replacingOccurrences(of: "T", with: " ").replacingOccurrences(of: "Z", with: " UTC")
        let seconds = now.timeIntervalSince(date)
        let magnitude = abs(seconds)
        let text =
            magnitude < 60
            ? "\(Int(magnitude)) s"
            : magnitude < 3_600 ? "\(Int((magnitude / 60).rounded())) min"
            : magnitude < 86_400 ? "\(Int((magnitude / 3_600).rounded())) h" : "\(Int((magnitude / 86_400).rounded())) d"
        relative = seconds < 0 ? "in \(text)" : "\(text) ago"
    }
}

/// A label or annotation row.
struct ConsoleNameValue {
    var name: String
    var value: String

    static func sorted(_ pairs: [String: String]) -> [ConsoleNameValue] {
        pairs.sorted { $0.key < $1.key }.map { ConsoleNameValue(name: $0.key, value: $0.value) }
    }
}

/// A choice of a `<select>`.
struct ConsoleOption {
    var value: String
    var label: String
    var selected: Bool
}

extension Double {
    /// Two decimals, as scores and factors are shown.
    var consoleText: String { String(format: "%.2f", self) }
}

extension Alert {
    /// The labels but `alertname`, as `name=value` pairs.
    var consoleLabelText: String {
        labels.filter { $0.key != "alertname" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }
}
