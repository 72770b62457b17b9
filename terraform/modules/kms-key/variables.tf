variable "description" {
  description = "What the key encrypts, shown in the KMS console (e.g. \"alertd-prod MSK broker logs\")."
  type        = string
}

variable "cloudwatch_logs" {
  description = "Set for a key that encrypts a CloudWatch Logs log group: CloudWatch Logs in this region may then encrypt and decrypt with it, for log_group only when that is given (its name). null: only the account and its grants."
  type = object({
    log_group = optional(string)
  })
  default = null
}

variable "tags" {
  description = "Tags for the key."
  type        = map(string)
  default     = {}
}
