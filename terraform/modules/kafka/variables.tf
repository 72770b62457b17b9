variable "name" {
  description = "The MSK cluster's name (e.g. alertd-prod)."
  type        = string
}

variable "kafka_version" {
  description = "Apache Kafka version of the MSK cluster."
  type        = string
  default     = "3.8.x"
}

variable "vpc_id" {
  description = "The VPC the brokers run in."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets for the brokers, one per availability zone."
  type        = list(string)
}

variable "client_security_groups" {
  description = "Security groups whose members may connect to the brokers (the Kubernetes nodes, the runners that apply Terraform), by a name that is known before apply."
  type        = map(string)
}

variable "broker_count" {
  description = "Number of brokers; a multiple of the number of subnets."
  type        = number
  default     = 3
}

variable "broker_instance_type" {
  description = "Instance type of each broker."
  type        = string
  default     = "kafka.m7g.large"
}

variable "broker_volume_gib" {
  description = "EBS storage of each broker, in GiB."
  type        = number
  default     = 100
}

variable "replication_factor" {
  description = "Default replication factor of new topics; min.insync.replicas is one less (at least 1)."
  type        = number
  default     = 3

  validation {
    condition     = var.replication_factor >= 1
    error_message = "replication_factor must be at least 1."
  }
}

variable "producer_scram_secret_arns" {
  description = "Secrets Manager secrets (named AmazonMSK_*, encrypted with a customer managed key) holding the SCRAM users of tenants' own producers, e.g. tenant-acme."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Days the broker logs are kept in CloudWatch Logs."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
