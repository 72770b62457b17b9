# Everything one tenant gets, named and sized by tenant-spec from tenants/<id>/tenant.yaml:
# always the Kafka topics alerts.<id> and alerts.<id>.dlq with their ACLs and the
# PostgreSQL schema tenant_<id> owned by the role alertd_t_<id>; with
# manage_kubernetes_objects also the namespace tenant-<id> with a ResourceQuota, a
# LimitRange and a default-deny NetworkPolicy. Without it Argo CD owns the namespace and
# its objects (the ApplicationSet alertd-tenants renders deploy/k8s/tenant for every
# tenants/<id>).

module "spec" {
  source = "../tenant-spec"

  tenant_file = var.tenant_file
}

locals {
  id     = module.spec.id
  labels = module.spec.labels
  kafka  = module.spec.kafka

  producer_principal = format(var.producer_principal_format, local.id)
  topic_acls = merge(
    {
      for pair in setproduct(["topic", "dlq_topic"], ["Read", "Write", "Describe"]) :
      "alertd-${pair[0]}-${lower(pair[1])}" => {
        principal = var.alertd_kafka_principal
        topic     = local.kafka[pair[0]]
        operation = pair[1]
      }
    },
    {
      for operation in ["Write", "Describe"] :
      "producer-topic-${lower(operation)}" => {
        principal = local.producer_principal
        topic     = local.kafka.topic
        operation = operation
      }
    },
  )
}

resource "kubernetes_namespace_v1" "tenant" {
  count = var.manage_kubernetes_objects ? 1 : 0

  metadata {
    name = module.spec.namespace
    labels = merge(local.labels, {
      "pod-security.kubernetes.io/enforce" = "restricted"
      "pod-security.kubernetes.io/warn"    = "restricted"
    })
    annotations = {
      "alertd.io/display-name" = module.spec.name
    }
  }
}

resource "kubernetes_resource_quota_v1" "tenant" {
  count = var.manage_kubernetes_objects ? 1 : 0

  metadata {
    name      = "tenant-quota"
    namespace = kubernetes_namespace_v1.tenant[0].metadata[0].name
    labels    = local.labels
  }

  spec {
    hard = module.spec.resource_quota
  }
}

resource "kubernetes_limit_range_v1" "tenant" {
  count = var.manage_kubernetes_objects ? 1 : 0

  metadata {
    name      = "tenant-limits"
    namespace = kubernetes_namespace_v1.tenant[0].metadata[0].name
    labels    = local.labels
  }

  spec {
    limit {
      type            = "Container"
      default_request = module.spec.limit_range.default_request
      default         = module.spec.limit_range.default
      max             = module.spec.limit_range.max
    }
  }
}

# Nothing reaches into the namespace but Prometheus, and nothing leaves it but DNS and
# alerts sent to alertd's gateway.
resource "kubernetes_network_policy_v1" "tenant" {
  count = var.manage_kubernetes_objects ? 1 : 0

  metadata {
    name      = "tenant-isolation"
    namespace = kubernetes_namespace_v1.tenant[0].metadata[0].name
    labels    = local.labels
  }

  spec {
    pod_selector {}
    policy_types = ["Ingress", "Egress"]

    ingress {
      from {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = var.monitoring_namespace }
        }
      }
    }

    egress {
      to {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = "kube-system" }
        }
        pod_selector {
          match_labels = { "k8s-app" = "kube-dns" }
        }
      }
      ports {
        protocol = "UDP"
        port     = "53"
      }
      ports {
        protocol = "TCP"
        port     = "53"
      }
    }

    egress {
      to {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = var.alertd_namespace }
        }
        pod_selector {
          match_labels = { "app.kubernetes.io/component" = "gateway" }
        }
      }
      ports {
        protocol = "TCP"
        port     = "8080"
      }
    }
  }
}

resource "kafka_topic" "alerts" {
  name               = local.kafka.topic
  partitions         = local.kafka.partitions
  replication_factor = var.kafka_replication_factor

  config = {
    "cleanup.policy"      = "delete"
    "retention.ms"        = tostring(local.kafka.retention_ms)
    "max.message.bytes"   = tostring(local.kafka.max_message_bytes)
    "min.insync.replicas" = tostring(max(var.kafka_replication_factor - 1, 1))
  }
}

resource "kafka_topic" "dlq" {
  name               = local.kafka.dlq_topic
  partitions         = 1
  replication_factor = var.kafka_replication_factor

  config = {
    "cleanup.policy"      = "delete"
    "retention.ms"        = tostring(local.kafka.dlq_retention_ms)
    "max.message.bytes"   = tostring(local.kafka.max_message_bytes)
    "min.insync.replicas" = tostring(max(var.kafka_replication_factor - 1, 1))
  }
}

resource "kafka_acl" "topic" {
  for_each = local.topic_acls

  resource_name                = each.value.topic
  resource_type                = "Topic"
  resource_pattern_type_filter = "Literal"
  acl_principal                = each.value.principal
  acl_host                     = "*"
  acl_operation                = each.value.operation
  acl_permission_type          = "Allow"

  depends_on = [kafka_topic.alerts, kafka_topic.dlq]
}

resource "postgresql_role" "tenant" {
  name  = module.spec.postgres.role
  login = false
}

resource "postgresql_grant_role" "app" {
  role              = var.app_role
  grant_role        = postgresql_role.tenant.name
  with_admin_option = true
}

resource "postgresql_schema" "tenant" {
  name         = module.spec.postgres.schema
  database     = var.database_name
  owner        = postgresql_role.tenant.name
  drop_cascade = false

  depends_on = [postgresql_grant_role.app]
}
