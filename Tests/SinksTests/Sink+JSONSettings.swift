import AlertCore
import Sinks

/// Tests give a sink its settings as tenant.yaml writes them. They are read first, as loading a
/// tenant reads them; settings that do not read fail the delivery, naming their problems.
extension Sink {
    /// The problems with `settings`; none when they read.
    func problems(settings: JSONValue, at path: String) -> [ConfigProblem] {
        if case .failure(let problems) = read(settings, at: path) { return problems.problems }
        return []
    }

    func reading(_ settings: JSONValue) throws(DeliveryFailure) -> Settings {
        switch read(settings, at: "receiver") {
        case .success(let settings): return settings
        case .failure(let problems): throw DeliveryFailure(retryable: false, message: "the settings do not read: \(problems)")
        }
    }

    func deliver(
        _ notification: AlertNotification, settings: JSONValue, secrets: SecretResolver, http: SinkHTTP, from part: Int = 0
    ) async throws(DeliveryFailure) -> Int {
        try await deliver(notification, settings: try reading(settings), secrets: secrets, http: http, from: part)
    }
}

extension SingleRequestSink {
    func request(for notification: AlertNotification, settings: JSONValue, secrets: SecretResolver) throws(DeliveryFailure) -> SinkRequest {
        try request(for: notification, settings: try reading(settings), secrets: secrets)
    }
}

extension SlackSink {
    func requests(for notification: AlertNotification, settings: JSONValue, secrets: SecretResolver) throws(DeliveryFailure) -> [SinkRequest] {
        try requests(for: notification, settings: try reading(settings), secrets: secrets)
    }
}
