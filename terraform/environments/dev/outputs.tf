output "cluster_name" {
  description = "The EKS cluster (aws eks update-kubeconfig --name <this>)."
  value       = module.k8s_cluster.name
}

output "gateway_service" {
  description = "In-cluster URL of alertd's gateway."
  value       = module.alertd.gateway_service
}

output "tenants" {
  description = "Each tenant's namespace, topics and PostgreSQL schema."
  value = {
    for id, tenant in module.tenant : id => {
      namespace       = tenant.namespace
      topics          = tenant.topics
      postgres_schema = tenant.postgres_schema
    }
  }
}
