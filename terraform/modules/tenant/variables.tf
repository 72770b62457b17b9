variable "tenant_file" {
  description = "Path of the tenant's tenants/<id>/tenant.yaml."
  type        = string
}

variable "manage_kubernetes_objects" {
  description = <<-EOT
    true when Terraform, not Argo CD, owns the Kubernetes workloads and tenant namespaces:
    this module then creates the namespace tenant-<id> with its ResourceQuota, LimitRange
    and NetworkPolicy. false leaves them to Argo CD (the ApplicationSet alertd-tenants,
    deploy/k8s/tenant); the module then creates only the tenant's Kafka topics, ACLs,
    PostgreSQL schema and role. Use the same value as for the alertd module.
  EOT
  type        = bool
  nullable    = false
}

variable "alertd_namespace" {
  description = "Namespace of alertd's gateway, which the tenant's workloads may send alerts to (with manage_kubernetes_objects)."
  type        = string
  default     = "alertd"
}

variable "monitoring_namespace" {
  description = "Namespace of Prometheus, which may scrape the tenant's workloads (with manage_kubernetes_objects)."
  type        = string
  default     = "monitoring"
}

variable "kafka_replication_factor" {
  description = "Replication factor of the tenant's topics."
  type        = number
  default     = 3
}

variable "alertd_kafka_principal" {
  description = "Kafka principal alertd connects as; it reads and writes the tenant's topics."
  type        = string
  default     = "User:ANONYMOUS"
}

variable "producer_principal_format" {
  description = "format() pattern of the Kafka principal of the tenant's own producers, given the tenant id; it may write to the tenant's topic only."
  type        = string
  default     = "User:tenant-%s"
}

variable "database_name" {
  description = "The database that holds the tenant's schema."
  type        = string
  default     = "alertd"
}

variable "app_role" {
  description = "The login role alertd connects as; it is granted the tenant's role."
  type        = string
  default     = "alertd"
}
