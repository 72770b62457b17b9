variable "region" {
  description = "AWS region of the environment."
  type        = string
  default     = "eu-central-1"
}

variable "availability_zones" {
  description = "Availability zones the environment spans."
  type        = list(string)
  default     = ["eu-central-1a", "eu-central-1b"]
}

variable "alertd_image" {
  description = "alertd's image, pinned by digest (registry/alertd@sha256:...), as the release pipeline publishes it. Used only while Terraform owns alertd's Deployments (the platform module's manage_kubernetes_objects); Argo CD deploys the image named in deploy/k8s/alertd."
  type        = string
  default     = null
}

variable "tenants_repository" {
  description = "Git repository whose tenants/ folder alertd serves (this repository). Used only while Terraform owns alertd's Deployments (the platform module's manage_kubernetes_objects); deploy/k8s/alertd names it for Argo CD."
  type        = string
  default     = null
}

variable "admin_role_arns" {
  description = "IAM roles with cluster-admin on the EKS cluster: the role the pipeline applies Terraform with, and the platform team's."
  type        = list(string)
}

variable "runner_security_groups" {
  description = "Security groups of the runners that apply Terraform from inside the VPC, by name; they reach Kafka and PostgreSQL to create topics, ACLs, schemas and roles."
  type        = map(string)
  default     = {}
}

variable "api_access_cidrs" {
  description = "CIDR ranges allowed to reach the Kubernetes API's public endpoint; empty keeps it private."
  type        = list(string)
  default     = []
}
