/// librdkafka settings shared by producers, consumers and topic admin. `properties` holds any
/// further librdkafka configuration property by its documented name.
public struct KafkaConfiguration: Sendable {
    /// `host:port,host:port`.
    public var brokers: String
    public var properties: [String: String]

    public init(brokers: String, properties: [String: String] = [:]) {
        self.brokers = brokers
        self.properties = properties
    }

    func merged(_ defaults: [String: String]) -> [String: String] {
        var all = defaults
        all["bootstrap.servers"] = brokers
        all["broker.address.family"] = all["broker.address.family"] ?? "v4"
        all["log.queue"] = "true"
        for (key, value) in properties { all[key] = value }
        return all
    }
}
