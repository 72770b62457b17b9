output "id" {
  description = "The tenant id."
  value       = module.spec.id
}

output "namespace" {
  description = "The tenant's Kubernetes namespace."
  value       = kubernetes_namespace_v1.tenant.metadata[0].name
}

output "topics" {
  description = "The tenant's Kafka topics."
  value       = [kafka_topic.alerts.name, kafka_topic.dlq.name]
}

output "postgres_schema" {
  description = "The tenant's PostgreSQL schema."
  value       = postgresql_schema.tenant.name
}

output "quotas" {
  description = "The tenant's quotas, with alertd's defaults filled in."
  value       = module.spec.quotas
}
