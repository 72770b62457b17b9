import ArgumentParser

/// Where spans go; tracing is off unless an OTLP endpoint is given.
struct TracingOptions: ParsableArguments {
    @Option(
        name: .customLong("otlp-endpoint"),
        help: "OTLP/HTTP traces URL, e.g. http://otel-collector:4318/v1/traces: export a span per request, rating, store write, Kafka produce and consume, and sink delivery. Off when unset. (env: ALERTD_OTLP_ENDPOINT)"
    )
    var endpoint: String? = CommonOptions.environment("ALERTD_OTLP_ENDPOINT")

    @Option(
        name: .customLong("otlp-protocol"), help: "http/protobuf or http/json. (env: ALERTD_OTLP_PROTOCOL)")
    var encoding: String = CommonOptions.environment("ALERTD_OTLP_PROTOCOL") ?? "http/protobuf"

    /// The exporter settings, nil when tracing is off.
    func settings(serviceName: String) throws -> TracingSettings? {
        guard let endpoint else { return nil }
        guard let encoding = TracingSettings.Encoding(rawValue: encoding) else {
            throw ValidationError("--otlp-protocol must be http/protobuf or http/json")
        }
        return TracingSettings(endpoint: endpoint, encoding: encoding, serviceName: serviceName)
    }
}
