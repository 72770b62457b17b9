variable "environment" {
  description = "The environment's name (dev, staging, prod): resources are named alertd-<environment>, tagged environment=<environment>, and alertd's pods follow the branch deployed/<environment>."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*$", var.environment))
    error_message = "environment must be lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  description = "AWS region of the environment, for the token command in the kubernetes output."
  type        = string
}

variable "availability_zones" {
  description = "Availability zones the environment spans."
  type        = list(string)
}

variable "admin_role_arns" {
  description = "IAM roles with cluster-admin on the EKS cluster."
  type        = list(string)
}

variable "runner_security_groups" {
  description = "Security groups, by name, of the runners that apply Terraform from inside the VPC; Kafka and PostgreSQL admit them."
  type        = map(string)
  default     = {}
}

variable "api_access_cidrs" {
  description = "CIDR ranges allowed to reach the Kubernetes API's public endpoint; empty keeps it private."
  type        = list(string)
  default     = []
}

variable "manage_kubernetes_objects" {
  description = "true when Terraform, not Argo CD, owns alertd's workloads and the tenants' namespaces (the alertd and tenant modules' variable of that name; terraform/README.md, Who owns what)."
  type        = bool
  default     = false
}

variable "alertd_image" {
  description = "alertd's image, pinned by digest; used only with manage_kubernetes_objects."
  type        = string
  default     = null
}

variable "tenants_repository" {
  description = "Git repository whose tenants/ folder alertd serves; used only with manage_kubernetes_objects."
  type        = string
  default     = null
}

variable "network" {
  description = "The VPC's address range, and whether all private subnets share one NAT gateway (modules/network)."
  type = object({
    cidr_block         = string
    single_nat_gateway = bool
  })
}

variable "cluster" {
  description = "Instance types and count of the EKS nodes (modules/k8s-cluster)."
  type = object({
    node_instance_types = list(string)
    node_count          = object({ min = number, desired = number, max = number })
  })
}

variable "kafka" {
  description = "The MSK brokers (modules/kafka); replication_factor applies to the tenants' topics too."
  type = object({
    broker_count         = number
    broker_instance_type = string
    broker_volume_gib    = number
    replication_factor   = number
  })
}

variable "postgres" {
  description = "The RDS instance (modules/postgres)."
  type = object({
    instance_class            = string
    allocated_storage_gib     = number
    max_allocated_storage_gib = number
    multi_az                  = bool
    backup_retention_days     = number
    deletion_protection       = bool
  })
}

variable "observability" {
  description = "Prometheus and Loki (modules/observability)."
  type = object({
    prometheus_replicas    = number
    prometheus_retention   = string
    prometheus_storage_gib = number
    loki_retention_days    = number
  })
}

variable "alertd" {
  description = "alertd's log level and roles, as the alertd module's log_level and roles variables take them; in effect only with manage_kubernetes_objects."
  type = object({
    log_level = string
    roles     = any
  })
}
