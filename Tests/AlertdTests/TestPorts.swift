/// The loopback ports the tests' own servers listen on. Each range lies below the kernel's
/// ephemeral ports (32768–60999 on Linux), which outgoing connections (the tests' clients,
/// the stores' connection pools) take, so a server never finds its port held by one of them,
/// and apart from the fixed ports scripts/test.sh gives PostgreSQL (25432–25434) and Kafka
/// (29092–29095).
enum TestPorts {
    /// `alertd serve` processes (`AlertdServer`).
    static let alertd = 10_000..<18_000
    /// `alertd router` processes (`RouterCrashTests`).
    static let router = 18_500..<20_000
    /// alertd in `PostgresOutageTests`.
    static let outageServer = 20_000..<25_000
    /// Prometheus in `PrometheusScrapeTests`.
    static let prometheus = 30_000..<32_000
}
