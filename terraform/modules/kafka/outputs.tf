output "bootstrap_brokers" {
  description = "host:port list of the plaintext listener, for alertd's ALERTD_KAFKA_BROKERS (the Secret alertd-kafka, key brokers)."
  value       = aws_msk_cluster.this.bootstrap_brokers
}

output "bootstrap_brokers_scram" {
  description = "host:port list of the SASL/SCRAM (TLS) listener, for Terraform's Kafka provider and tenants' producers."
  value       = aws_msk_cluster.this.bootstrap_brokers_sasl_scram
}

output "terraform_username" {
  description = "SCRAM user name Terraform administers the cluster with."
  value       = "terraform"
}

output "terraform_password" {
  description = "SCRAM password of the Terraform user."
  value       = random_password.terraform.result
  sensitive   = true
}

output "security_group_id" {
  description = "The brokers' security group."
  value       = aws_security_group.brokers.id
}
