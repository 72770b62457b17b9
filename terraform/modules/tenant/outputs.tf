output "id" {
  description = "The tenant id."
  value       = module.spec.id
}

output "namespace" {
  description = "The tenant's Kubernetes namespace, tenant-<id> (Terraform's with manage_kubernetes_objects, otherwise the one Argo CD creates)."
  value       = var.manage_kubernetes_objects ? kubernetes_namespace_v1.tenant[0].metadata[0].name : module.spec.namespace
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
