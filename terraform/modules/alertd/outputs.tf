output "namespace" {
  description = "alertd's namespace."
  value       = kubernetes_namespace_v1.alertd.metadata[0].name
}

output "gateway_service" {
  description = "In-cluster URL of the gateway, the tenants' way in."
  value       = "http://alertd-gateway.${var.namespace}.svc.cluster.local:${var.roles["gateway"].port}"
}

output "services" {
  description = "Service name of each role."
  value       = { for role, service in kubernetes_service_v1.role : role => service.metadata[0].name }
}
