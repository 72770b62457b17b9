variable "manage_kubernetes_objects" {
  description = <<-EOT
    true when Terraform, not Argo CD, owns the Kubernetes workloads and tenant namespaces:
    this module then creates alertd's namespace, ServiceAccount, ConfigMap alertd-settings,
    Deployments, Services, HorizontalPodAutoscalers, PodDisruptionBudgets and
    NetworkPolicies. false leaves all of them to Argo CD (deploy/k8s/alertd); the module
    then writes only the Secrets alertd-database, alertd-kafka and alertd-internal-key,
    into the namespace that Argo CD's Application alertd creates, which must exist before
    the apply. Use the same value for the tenant module.
  EOT
  type        = bool
  nullable    = false
}

variable "namespace" {
  description = "alertd's namespace: created here with manage_kubernetes_objects, otherwise the namespace of deploy/k8s/alertd. The Secrets alertd-database, alertd-kafka and alertd-internal-key go into it either way."
  type        = string
  default     = "alertd"
}

variable "image" {
  description = "alertd's container image, pinned by digest (registry/alertd@sha256:...). Required with manage_kubernetes_objects; without it the image is the one named in deploy/k8s/alertd."
  type        = string
  default     = null

  validation {
    condition     = var.image == null ? !var.manage_kubernetes_objects : can(regex("@sha256:[0-9a-f]{64}$", var.image))
    error_message = "image must be pinned by digest: <repository>@sha256:<64 hex digits>; it is required when manage_kubernetes_objects is true."
  }
}

variable "roles" {
  description = <<-EOT
    The Deployments, by role, created with manage_kubernetes_objects; each runs
    `alertd <role>` (README, Security: Split deployment). The gateway verifies tenants'
    tokens and forwards their requests to rating with internal tokens; it has no database
    or Kafka connection. Rating serves the API behind it (ingest, rating, reads) and
    accepts only those internal tokens. Both serve HTTP, /metrics included, on their port
    (8080). The router consumes the tenants' topics, serves health and /metrics on its
    port (8081) and cannot use more replicas than its topics have partitions. Each role
    scales on its own. Names, labels and ports follow deploy/k8s/alertd (alertd-<role>,
    app.kubernetes.io/component=<role>, port http).
  EOT
  type = map(object({
    port           = number
    min_replicas   = optional(number, 2)
    max_replicas   = optional(number, 6)
    cpu_request    = optional(string, "250m")
    cpu_limit      = optional(string, "2")
    memory_request = optional(string, "256Mi")
    memory_limit   = optional(string, "512Mi")
  }))
  default = {
    gateway = { port = 8080 }
    rating  = { port = 8080 }
    router  = { port = 8081 }
  }

  validation {
    condition     = alltrue([for role in values(var.roles) : role.min_replicas >= 1 && role.min_replicas <= role.max_replicas])
    error_message = "Every role needs 1 <= min_replicas <= max_replicas."
  }
  validation {
    condition     = contains(keys(var.roles), "gateway") && contains(keys(var.roles), "rating")
    error_message = "roles must include the gateway, the tenants' way in, and rating, the gateway's upstream."
  }
  validation {
    condition     = alltrue([for role in keys(var.roles) : contains(["gateway", "rating", "router"], role)])
    error_message = "Every role must be gateway, rating or router: each runs `alertd <role>`."
  }
}

variable "cpu_target_utilization" {
  description = "Average CPU utilization, in percent of the request, that the HorizontalPodAutoscalers aim for."
  type        = number
  default     = 70
}

variable "kafka_brokers" {
  description = "host:port list of the Kafka brokers (ALERTD_KAFKA_BROKERS); stored in the Secret alertd-kafka, key brokers."
  type        = string
}

variable "kafka_partitions" {
  description = "Partitions of tenant topics alertd creates itself for a tenant Terraform has not provisioned yet."
  type        = number
  default     = 3
}

variable "database_url" {
  description = "postgres:// URL alertd connects with (ALERTD_DATABASE_URL); stored in the Secret alertd-database, key url."
  type        = string
  sensitive   = true
}

variable "tenants_repository" {
  description = "Git repository holding the tenants/ folder; git-sync keeps a checkout in every pod and alertd reloads it on change. Required with manage_kubernetes_objects; without it deploy/k8s/alertd names the repository."
  type        = string
  default     = null

  validation {
    condition     = var.tenants_repository != null || !var.manage_kubernetes_objects
    error_message = "tenants_repository is required when manage_kubernetes_objects is true."
  }
}

variable "tenants_ref" {
  description = "Branch of tenants_repository to follow. Environments follow a branch that their pipeline moves to a commit only after `terraform apply` of that commit succeeded, so a new tenant's namespace, topics, schema and role exist before alertd serves it."
  type        = string
  default     = "main"
}

variable "git_sync_image" {
  description = "git-sync's container image (a release tag, or a digest where the environment pins one)."
  type        = string
  default     = "registry.k8s.io/git-sync/git-sync:v4.5.0"
}

variable "git_credentials_secret" {
  description = "Secret with the keys username and password for a private tenants_repository. Optional: a public repository needs none."
  type        = string
  default     = "alertd-git"
}

variable "receiver_secret" {
  description = "Secret (created outside Terraform, e.g. by External Secrets) holding the receivers' env: references as keys; it is also mounted at /run/secrets for file: references. Optional: pods start without it."
  type        = string
  default     = "alertd-receivers"
}

variable "log_level" {
  description = "alertd's log level: trace, debug, info, notice, warning or error."
  type        = string
  default     = "info"

  validation {
    condition     = contains(["trace", "debug", "info", "notice", "warning", "error"], var.log_level)
    error_message = "log_level must be one of trace, debug, info, notice, warning, error."
  }
}

variable "monitoring_namespace" {
  description = "Namespace of Prometheus, which may scrape every role."
  type        = string
  default     = "monitoring"
}
