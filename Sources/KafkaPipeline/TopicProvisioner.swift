import AlertCore
import Kafka
import Logging

/// Creates each tenant's alert and dead-letter topics (idempotent).
public struct TopicProvisioner: Sendable {
    let admin: KafkaTopicAdmin
    let partitions: Int
    let logger: Logger

    public init(admin: KafkaTopicAdmin, partitions: Int, logger: Logger) {
        self.admin = admin
        self.partitions = partitions
        self.logger = logger
    }

    public func provision(_ tenants: [TenantID]) async throws {
        guard !tenants.isEmpty else { return }
        let topics = tenants.flatMap { [TenantTopics.alerts($0), TenantTopics.deadLetters($0.rawValue)] }
        try await admin.createTopics(topics, partitions: partitions)
        logger.info("tenant topics ready", metadata: ["topics": "\(topics)", "partitions": "\(partitions)"])
    }
}
