import AlertCore
import ArgumentParser
import AsyncHTTPClient
import Foundation
import Kafka
import KafkaPipeline
import Logging
import NIOCore
import Sinks

/// `alertd send`: posts a native alert file to a running alertd, or writes it straight to the
/// tenant's Kafka topic.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send alerts from a JSON file (one alert or {\"alerts\": [...]}) to alertd over HTTP or to the tenant's Kafka topic.")

    @Option(help: "Base URL of alertd.")
    var url: String = "http://127.0.0.1:8080"

    @Option(help: "Bearer token with the alerts:write scope. (env: ALERTD_TOKEN)")
    var token: String?

    @Option(name: .customLong("kafka-brokers"), help: "host:port[,host:port]: write to Kafka topic alerts.<tenant> instead of HTTP.")
    var kafkaBrokers: String?

    @Option(help: "The tenant whose topic gets the alerts (with --kafka-brokers).")
    var tenant: String?

    @Option(name: .customLong("kafka-topic-prefix"), help: "The tenant's topic is <prefix>.<tenant>.")
    var topicPrefix: String = "alerts"

    @Option(help: "The JSON file to send; - reads standard input.")
    var file: String

    @OptionGroup var kafkaSecurity: KafkaSecurityOptions

    func run() async throws {
        let body: Data
        if file == "-" {
            body = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            body = data
        }
        if let kafkaBrokers {
            try await sendToKafka(body, brokers: kafkaBrokers)
        } else {
            try await post(body)
        }
    }

    private func post(_ body: Data) async throws {
        guard let token = token ?? CommonOptions.environment("ALERTD_TOKEN") else { throw ValidationError("--token or ALERTD_TOKEN is required") }
        var request = HTTPClientRequest(url: url.hasSuffix("/") ? "\(url)v1/alerts" : "\(url)/v1/alerts")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let answer = try await response.body.collect(upTo: 16 * 1024 * 1024)
        print(String(buffer: answer))
        guard (200..<300).contains(response.status.code) else {
            printError("alertd answered \(response.status.code)")
            throw ExitCode.failure
        }
    }

    /// One record with the file as its value, keyed by the alert's fingerprint when the file
    /// holds one alert; the broker's acknowledgement ends the command.
    private func sendToKafka(_ body: Data, brokers: String) async throws {
        guard let name = tenant, let tenant = TenantID(name) else { throw ValidationError("--tenant with a valid tenant id is required with --kafka-brokers") }
        guard let topics = TenantTopics(prefix: topicPrefix) else { throw ValidationError("--kafka-topic-prefix is not valid in topic names") }
        let alerts: [Alert]
        do {
            alerts = try NativeAlertDecoder(maxBatchSize: 10_000).decode(body, receivedAt: Date())
        } catch {
            throw ValidationError("\(file) is not a native alert: \(error.path) \(error.reason)")
        }
        var logger = Logger(label: "alertd-send")
        logger.logLevel = .error
        let properties = try kafkaSecurity.settings().properties(secrets: SecretResolver(environment: ProcessInfo.processInfo.environment))
        let producer = try KafkaProducer(configuration: KafkaConfiguration(brokers: brokers, properties: properties), logger: logger)
        do {
            try await producer.send(
                topic: topics.alerts(tenant), key: alerts.count == 1 ? Array(alerts[0].fingerprint.rawValue.utf8) : nil,
                value: Array(body), headers: [("tenant", tenant.rawValue), ("content-type", "application/json")])
        } catch {
            await producer.shutdown(timeout: .seconds(1))
            throw error
        }
        await producer.shutdown()
        print("sent \(alerts.count) alert(s) to \(topics.alerts(tenant))")
    }
}
