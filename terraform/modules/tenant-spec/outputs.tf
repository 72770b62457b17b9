output "id" {
  description = "The tenant id."
  value       = local.id

  precondition {
    condition     = local.id_valid
    error_message = "${var.tenant_file}: id \"${local.id}\" must match ${local.id_pattern}."
  }
  precondition {
    condition     = local.id == local.directory
    error_message = "${var.tenant_file}: id \"${local.id}\" must equal the name of its directory, \"${local.directory}\"."
  }
}

output "name" {
  description = "The tenant's display name (its id when the file names none)."
  value       = local.name
}

output "namespace" {
  description = "The tenant's Kubernetes namespace."
  value       = "${var.namespace_prefix}${local.id}"
}

output "labels" {
  description = "Labels for every Kubernetes object made for the tenant."
  value       = local.labels
}

output "quotas" {
  description = "The tenant's quotas, with alertd's default for every quota the file leaves out."
  value       = local.quotas

  precondition {
    condition     = length(local.unknown_quotas) == 0
    error_message = "${var.tenant_file}: unknown quotas: ${join(", ", sort(local.unknown_quotas))}."
  }
  precondition {
    condition     = length(local.invalid_quotas) == 0
    error_message = "${var.tenant_file}: quotas must be positive numbers (whole numbers except ingestPerSecond): ${join(", ", local.invalid_quotas)}."
  }
}

output "resource_quota" {
  description = "The hard limits of the tenant namespace's ResourceQuota, derived from the tenant's quotas."
  value       = local.resource_quota
}

output "limit_range" {
  description = "Per-container defaults and maximum for the tenant namespace's LimitRange."
  value       = local.limit_range
}

output "kafka" {
  description = "The tenant's Kafka topics and their settings: topic, dlq_topic, partitions, retention_ms, dlq_retention_ms, max_message_bytes."
  value       = local.kafka
}

output "postgres" {
  description = "The tenant's PostgreSQL schema and the role that owns it."
  value       = local.postgres
}
