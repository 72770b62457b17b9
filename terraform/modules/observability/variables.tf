variable "namespace" {
  description = "Namespace of Prometheus, Alertmanager, Grafana, Loki and the log collector."
  type        = string
  default     = "monitoring"
}

variable "alertd_namespace" {
  description = "Namespace of alertd's Deployments, whose Services Prometheus scrapes."
  type        = string
  default     = "alertd"
}

variable "dashboard_file" {
  description = "Path of alertd's Grafana dashboard (JSON); null means deploy/observability/alertd-dashboard.json of this repository."
  type        = string
  default     = null
}

variable "rules_file" {
  description = "Path of alertd's Prometheus alerting rules (a rules file with groups); null means deploy/observability/alertd-rules.yml of this repository."
  type        = string
  default     = null
}

variable "kube_prometheus_stack_version" {
  description = "Version of the prometheus-community kube-prometheus-stack chart."
  type        = string
  default     = "75.15.1"
}

variable "loki_version" {
  description = "Version of the grafana loki chart."
  type        = string
  default     = "6.33.0"
}

variable "alloy_version" {
  description = "Version of the grafana alloy chart, which ships the pods' logs to Loki."
  type        = string
  default     = "1.2.0"
}

variable "prometheus_retention" {
  description = "How long Prometheus keeps samples (a Prometheus duration)."
  type        = string
  default     = "15d"
}

variable "prometheus_storage_gib" {
  description = "Size of each Prometheus replica's volume, in GiB."
  type        = number
  default     = 50
}

variable "prometheus_replicas" {
  description = "Prometheus replicas (each scrapes everything)."
  type        = number
  default     = 2
}

variable "storage_class" {
  description = "StorageClass of the Prometheus, Alertmanager and Loki volumes."
  type        = string
  default     = "gp3"
}

variable "name" {
  description = "Name of the environment (e.g. alertd-prod), used in the names of Loki's bucket and IAM role."
  type        = string
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider, through which Loki's service account assumes its role."
  type        = string
}

variable "oidc_issuer" {
  description = "The cluster's OIDC issuer without the https:// scheme."
  type        = string
}

variable "loki_retention_days" {
  description = "Days Loki keeps logs; the bucket expires objects a day later."
  type        = number
  default     = 31
}

variable "tags" {
  description = "Tags for the AWS resources."
  type        = map(string)
  default     = {}
}
variable "grafana_admin_secret" {
  description = "Existing Secret in namespace with the keys admin-user and admin-password for Grafana's admin."
  type        = string
  default     = "grafana-admin"
}
