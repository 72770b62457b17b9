import Foundation

extension Duration {
    /// The duration in seconds, fractions included.
    public var seconds: TimeInterval {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
