import OTel
import ServiceLifecycle
import Tracing

/// Spans exported over OTLP/HTTP. The tracer extracts and injects W3C `traceparent`.
struct TracingSettings: Sendable {
    enum Encoding: String, Sendable {
        case protobuf = "http/protobuf"
        case json = "http/json"
    }

    var endpoint: String
    var encoding: Encoding
    var serviceName: String

    /// Installs the process-wide tracer and returns the service that batches and exports its
    /// spans; run it before the services that make spans, so it stops after them and flushes.
    func bootstrap() throws -> some Service {
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.endpoint = endpoint
        configuration.traces.otlpExporter.protocol = encoding == .json ? .httpJSON : .httpProtobuf
        configuration.traces.batchSpanProcessor.scheduleDelay = .seconds(1)
        configuration.propagators = [.traceContext]
        return try OTel.bootstrap(configuration: configuration)
    }
}
