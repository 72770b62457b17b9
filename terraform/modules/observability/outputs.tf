output "namespace" {
  description = "The monitoring namespace."
  value       = kubernetes_namespace_v1.monitoring.metadata[0].name
}

output "alertmanager_url" {
  description = "In-cluster URL of Alertmanager."
  value       = "http://kube-prometheus-stack-alertmanager.${var.namespace}.svc.cluster.local:9093"
}

output "loki_url" {
  description = "In-cluster URL of Loki's gateway."
  value       = local.loki_url
}
