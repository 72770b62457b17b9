variable "tenant_file" {
  description = "Path of the tenant's tenants/<id>/tenant.yaml. The name of the directory that holds it must equal the tenant's id."
  type        = string

  validation {
    condition     = basename(var.tenant_file) == "tenant.yaml"
    error_message = "tenant_file must be a tenants/<id>/tenant.yaml file."
  }
}

variable "tenant_yaml" {
  description = "The text of tenant_file, for callers that already hold it; null reads tenant_file."
  type        = string
  default     = null

  validation {
    condition     = var.tenant_yaml == null || can(yamldecode(var.tenant_yaml))
    error_message = "tenant_yaml is not valid YAML."
  }
}

variable "namespace_prefix" {
  description = "Prefix of the tenant's Kubernetes namespace, <prefix><id>. It keeps tenant namespaces apart from system and shared ones (a tenant id such as kube-system or alertd is valid)."
  type        = string
  default     = "tenant-"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,23}$", var.namespace_prefix))
    error_message = "namespace_prefix must be 1 to 24 lowercase letters, digits or dashes, starting with a letter."
  }
}

variable "topic_prefix" {
  description = "Prefix of the tenant's Kafka topics, <prefix>.<id> and <prefix>.<id>.dlq; alertd's --kafka-topic-prefix."
  type        = string
  default     = "alerts"

  validation {
    condition     = can(regex("^[a-zA-Z0-9._-]{1,100}$", var.topic_prefix))
    error_message = "topic_prefix may hold only letters, digits, '.', '_' and '-'."
  }
}
