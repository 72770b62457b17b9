output "namespace" {
  description = "alertd's namespace (Terraform's with manage_kubernetes_objects, otherwise the one of deploy/k8s/alertd)."
  value       = local.namespace
}

output "gateway_service" {
  description = "In-cluster URL of the gateway, the tenants' way in."
  value       = "http://alertd-gateway.${local.namespace}.svc.cluster.local:${var.roles["gateway"].port}"
}

output "services" {
  description = "Service name of each role Terraform deploys; empty when Argo CD owns the Deployments."
  value       = { for role, service in kubernetes_service_v1.role : role => service.metadata[0].name }
}
