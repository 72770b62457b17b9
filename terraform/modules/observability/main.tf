# kube-prometheus-stack (Prometheus, Alertmanager, Grafana, the operator), Loki and Alloy
# for logs, alertd's scrape configuration, alerting rules and Grafana dashboard.

locals {
  repository_root = "${path.module}/../../.."
  dashboard_file  = coalesce(var.dashboard_file, "${local.repository_root}/deploy/observability/alertd-dashboard.json")
  rules_file      = coalesce(var.rules_file, "${local.repository_root}/deploy/observability/alertd-rules.yml")

  labels = {
    "app.kubernetes.io/part-of"    = "alertd"
    "app.kubernetes.io/managed-by" = "terraform"
  }

  loki_url = "http://loki-gateway.${var.namespace}.svc.cluster.local"

  prometheus_values = {
    prometheus = {
      prometheusSpec = {
        replicas  = var.prometheus_replicas
        retention = var.prometheus_retention
        # Pick up every ServiceMonitor and PrometheusRule, not only the chart's own.
        serviceMonitorSelectorNilUsesHelmValues = false
        ruleSelectorNilUsesHelmValues           = false
        storageSpec = {
          volumeClaimTemplate = {
            spec = {
              storageClassName = var.storage_class
              accessModes      = ["ReadWriteOnce"]
              resources        = { requests = { storage = "${var.prometheus_storage_gib}Gi" } }
            }
          }
        }
      }
      # Every alertd Service names its one port http: 8080 for the gateway and rating, 8081
      # for the router.
      additionalServiceMonitors = [{
        name              = "alertd"
        additionalLabels  = local.labels
        namespaceSelector = { matchNames = [var.alertd_namespace] }
        selector          = { matchLabels = { "app.kubernetes.io/name" = "alertd" } }
        endpoints         = [{ port = "http", path = "/metrics", interval = "30s" }]
      }]
    }
    additionalPrometheusRulesMap = {
      alertd = yamldecode(file(local.rules_file))
    }
    alertmanager = {
      alertmanagerSpec = {
        replicas = 2
        storage = {
          volumeClaimTemplate = {
            spec = {
              storageClassName = var.storage_class
              accessModes      = ["ReadWriteOnce"]
              resources        = { requests = { storage = "5Gi" } }
            }
          }
        }
      }
    }
    grafana = {
      admin = { existingSecret = var.grafana_admin_secret }
      sidecar = {
        dashboards = {
          enabled         = true
          label           = "grafana_dashboard"
          labelValue      = "1"
          searchNamespace = "ALL"
        }
      }
      additionalDataSources = [{
        name   = "Loki"
        type   = "loki"
        uid    = "loki"
        url    = local.loki_url
        access = "proxy"
      }]
    }
  }

  loki_values = {
    deploymentMode = "SingleBinary"
    loki = {
      auth_enabled = false
      commonConfig = { replication_factor = 1 }
      schemaConfig = {
        configs = [{
          from         = "2025-01-01"
          store        = "tsdb"
          object_store = "s3"
          schema       = "v13"
          index        = { prefix = "index_", period = "24h" }
        }]
      }
      storage = {
        type        = "s3"
        bucketNames = { chunks = aws_s3_bucket.loki.id, ruler = aws_s3_bucket.loki.id, admin = aws_s3_bucket.loki.id }
        s3          = { region = data.aws_region.current.region }
      }
      limits_config = { retention_period = "${24 * var.loki_retention_days}h" }
      compactor = {
        retention_enabled    = true
        delete_request_store = "s3"
      }
    }
    serviceAccount = {
      annotations = { "eks.amazonaws.com/role-arn" = aws_iam_role.loki.arn }
    }
    singleBinary = {
      replicas    = 1
      persistence = { storageClass = var.storage_class, size = "20Gi" }
    }
    read    = { replicas = 0 }
    write   = { replicas = 0 }
    backend = { replicas = 0 }
  }

  # Alloy tails every pod's log through the Kubernetes API and pushes it to Loki with the
  # namespace, pod and container as labels; alertd's JSON fields stay in the line.
  alloy_config = <<-EOT
    discovery.kubernetes "pods" {
      role = "pod"
    }

    discovery.relabel "pods" {
      targets = discovery.kubernetes.pods.targets

      rule {
        source_labels = ["__meta_kubernetes_namespace"]
        target_label  = "namespace"
      }
      rule {
        source_labels = ["__meta_kubernetes_pod_name"]
        target_label  = "pod"
      }
      rule {
        source_labels = ["__meta_kubernetes_pod_container_name"]
        target_label  = "container"
      }
      rule {
        source_labels = ["__meta_kubernetes_pod_label_app_kubernetes_io_component"]
        target_label  = "component"
      }
    }

    loki.source.kubernetes "pods" {
      targets    = discovery.relabel.pods.output
      forward_to = [loki.write.default.receiver]
    }

    loki.write "default" {
      endpoint {
        url = "${local.loki_url}/loki/api/v1/push"
      }
    }
  EOT
}

resource "kubernetes_namespace_v1" "monitoring" {
  metadata {
    name   = var.namespace
    labels = local.labels
  }
}

resource "helm_release" "kube_prometheus_stack" {
  name       = "kube-prometheus-stack"
  namespace  = kubernetes_namespace_v1.monitoring.metadata[0].name
  repository = "https://prometheus-community.github.io/helm-charts"
  chart      = "kube-prometheus-stack"
  version    = var.kube_prometheus_stack_version
  timeout    = 900

  values = [yamlencode(local.prometheus_values)]
}

resource "helm_release" "loki" {
  name       = "loki"
  namespace  = kubernetes_namespace_v1.monitoring.metadata[0].name
  repository = "https://grafana.github.io/helm-charts"
  chart      = "loki"
  version    = var.loki_version
  timeout    = 900

  values = [yamlencode(local.loki_values)]
}

resource "helm_release" "alloy" {
  name       = "alloy"
  namespace  = kubernetes_namespace_v1.monitoring.metadata[0].name
  repository = "https://grafana.github.io/helm-charts"
  chart      = "alloy"
  version    = var.alloy_version

  values = [yamlencode({
    alloy = {
      configMap = { content = local.alloy_config }
    }
    controller = { type = "deployment", replicas = 1 }
  })]

  depends_on = [helm_release.loki]
}

# Grafana's dashboard sidecar loads every ConfigMap labelled grafana_dashboard=1.
resource "kubernetes_config_map_v1" "dashboard" {
  metadata {
    name      = "alertd-dashboard"
    namespace = kubernetes_namespace_v1.monitoring.metadata[0].name
    labels    = merge(local.labels, { grafana_dashboard = "1" })
  }

  data = {
    "alertd.json" = file(local.dashboard_file)
  }
}
