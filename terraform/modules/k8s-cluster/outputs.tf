output "name" {
  description = "The cluster's name."
  value       = aws_eks_cluster.this.name
}

output "endpoint" {
  description = "URL of the Kubernetes API."
  value       = aws_eks_cluster.this.endpoint
}

output "certificate_authority" {
  description = "The cluster's CA certificate, PEM."
  value       = base64decode(aws_eks_cluster.this.certificate_authority[0].data)
}

output "node_security_group_id" {
  description = "The security group EKS gives the cluster and its managed nodes; Kafka and PostgreSQL admit it."
  value       = aws_eks_cluster.this.vpc_config[0].cluster_security_group_id
}

output "oidc_provider_arn" {
  description = "ARN of the IAM OIDC provider, for IAM roles assumed by Kubernetes service accounts."
  value       = aws_iam_openid_connect_provider.this.arn
}

output "oidc_issuer" {
  description = "The cluster's OIDC issuer without the https:// scheme, as IAM condition keys spell it."
  value       = trimprefix(aws_eks_cluster.this.identity[0].oidc[0].issuer, "https://")
}
