variable "name" {
  description = "Identifier of the RDS instance (e.g. alertd-prod)."
  type        = string
}

variable "engine_version" {
  description = "PostgreSQL major version."
  type        = string
  default     = "17"
}

variable "instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.m7g.large"
}

variable "allocated_storage_gib" {
  description = "Initial storage, in GiB; storage autoscaling grows it up to max_allocated_storage_gib."
  type        = number
  default     = 100
}

variable "max_allocated_storage_gib" {
  description = "Upper bound of storage autoscaling, in GiB."
  type        = number
  default     = 1000
}

variable "multi_az" {
  description = "Keep a synchronous standby in another availability zone."
  type        = bool
  default     = true
}

variable "backup_retention_days" {
  description = "Days automated backups and point-in-time recovery reach back."
  type        = number
  default     = 14
}

variable "deletion_protection" {
  description = "Refuse to delete the instance (turn off only to tear an environment down)."
  type        = bool
  default     = true
}

variable "vpc_id" {
  description = "The VPC the database runs in."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the DB subnet group, in at least two availability zones."
  type        = list(string)
}

variable "client_security_groups" {
  description = "Security groups whose members may connect (the Kubernetes nodes, the runners that apply Terraform), by a name that is known before apply."
  type        = map(string)
}

variable "database_name" {
  description = "The database that holds every tenant's schema."
  type        = string
  default     = "alertd"
}

variable "app_role" {
  description = "The login role alertd connects as. It owns no tenant data itself: it is granted each tenant's role."
  type        = string
  default     = "alertd"
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
