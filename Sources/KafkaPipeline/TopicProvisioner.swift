import AlertCore
import Kafka
import Logging

/// Creates each tenant's alert and dead-letter topics (idempotent).
public struct TopicProvisioner: Sendable {
    let admin: KafkaTopicAdmin
    let topics: TenantTopics
    let partitions: Int
    let logger: Logger

    public init(admin: KafkaTopicAdmin, topics: TenantTopics, partitions: Int, logger: Logger) {
        self.admin = admin
        self.topics = topics
        self.partitions = partitions
        self.logger = logger
    }

    public func provision(_ tenants: [TenantID]) async throws {
        guard !tenants.isEmpty else { return }
        let names = tenants.flatMap { [topics.alerts($0), topics.deadLetters($0.rawValue)] }
        try await admin.createTopics(names, partitions: partitions)
        logger.info("tenant topics ready", metadata: ["topics": "\(names)", "partitions": "\(partitions)"])
    }
}
