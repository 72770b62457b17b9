extension Double {
    /// The value with `places` decimals (0 to 6), as `String(format: "%.Nf")` writes it, ties to
    /// even, without Foundation's formatter, which took a few percent of ingest in the rating's
    /// explanations. Values beyond 10^12 fall back to `description`.
    func fixed(_ places: Int) -> String {
        let places = Swift.min(Swift.max(places, 0), 6)
        var scale: UInt64 = 1
        for _ in 0..<places { scale *= 10 }
        let scaled = (Swift.abs(self) * Double(scale)).rounded(.toNearestOrEven)
        guard isFinite, scaled < 1e18, Swift.abs(self) < 1e12 else { return description }
        let units = UInt64(scaled)
        var text = sign == .minus ? "-" : ""
        text += String(units / scale)
        if places > 0 {
            let fraction = String(units % scale)
            text += "." + String(repeating: "0", count: places - fraction.count) + fraction
        }
        return text
    }
}
