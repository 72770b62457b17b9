variable "name" {
  description = "Name of the environment's network, used in resource names and tags (e.g. alertd-prod)."
  type        = string
}

variable "cidr_block" {
  description = "The VPC's IPv4 range."
  type        = string
  default     = "10.40.0.0/16"

  validation {
    condition     = can(cidrnetmask(var.cidr_block))
    error_message = "cidr_block must be an IPv4 CIDR range."
  }
}

variable "availability_zones" {
  description = "Availability zones to spread the subnets over; the cluster, Kafka and PostgreSQL follow them."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "At least two availability zones are needed (EKS, MSK and a Multi-AZ database require them)."
  }
}

variable "single_nat_gateway" {
  description = "Route every private subnet through one NAT gateway (cheaper, one zone's outage cuts egress) instead of one per zone."
  type        = bool
  default     = false
}

variable "flow_log_retention_days" {
  description = "Days the VPC flow logs are kept in CloudWatch Logs."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
