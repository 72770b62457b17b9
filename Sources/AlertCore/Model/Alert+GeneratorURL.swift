extension Alert {
    /// Whether `value` is an absolute URI as Alertmanager's API wants a `generatorURL`: a
    /// scheme (`ALPHA *(ALPHA / DIGIT / "+" / "-" / ".")`), a colon, then no white space and
    /// no control character.
    public static func isGeneratorURL(_ value: String) -> Bool {
        let scalars = value.unicodeScalars
        guard let colon = scalars.firstIndex(of: ":"), colon != scalars.startIndex else { return false }
        let scheme = scalars[..<colon]
        guard let first = scheme.first, first.isASCIILetter,
              scheme.dropFirst().allSatisfy({ $0.isASCIILetter || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) })
        else { return false }
        return scalars[colon...].allSatisfy { !$0.properties.isWhitespace && $0.properties.generalCategory != .control }
    }
}

extension Unicode.Scalar {
    fileprivate var isASCIILetter: Bool { ("a"..."z").contains(self) || ("A"..."Z").contains(self) }
}
