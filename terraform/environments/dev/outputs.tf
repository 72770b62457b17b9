output "cluster_name" {
  description = "The EKS cluster (aws eks update-kubeconfig --name <this>)."
  value       = module.platform.cluster_name
}

output "gateway_service" {
  description = "In-cluster URL of alertd's gateway."
  value       = module.platform.gateway_service
}

output "tenants" {
  description = "Each tenant's namespace, topics and PostgreSQL schema."
  value       = module.platform.tenants
}
