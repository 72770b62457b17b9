# The Secrets alertd-database, alertd-kafka and alertd-internal-key in alertd's namespace,
# always: they carry the database URL, the broker list and the key of the gateway's
# internal tokens, which only Terraform knows.
#
# With manage_kubernetes_objects, also the namespace and alertd's roles as Deployments
# (`alertd gateway`, `alertd rating`, `alertd router`): each with a Service, a
# HorizontalPodAutoscaler, a PodDisruptionBudget and a NetworkPolicy, the same names,
# labels, selectors and ports as deploy/k8s/alertd. Every pod runs a git-sync sidecar that
# keeps the tenants repository checked out; alertd reads tenants/ from that checkout and
# reloads when it changes. Without it Argo CD owns all of
# those (argocd/alertd-application.yaml) and the namespace must exist before the Secrets
# are written: Argo CD's Application alertd creates it (terraform/README.md, Who owns what).

locals {
  labels = {
    "app.kubernetes.io/name"       = "alertd"
    "app.kubernetes.io/part-of"    = "alertd"
    "app.kubernetes.io/managed-by" = "terraform"
  }
  selectors = {
    for role in keys(var.roles) : role => {
      "app.kubernetes.io/name"      = "alertd"
      "app.kubernetes.io/component" = role
    }
  }

  git_root    = "/etc/alertd/git"
  tenants_dir = "${local.git_root}/current/tenants"
  run_as      = 10001

  # git-sync runs twice in every pod: as the init container git-clone, the first checkout,
  # and as the sidecar git-sync, which follows the branch. Both take these arguments,
  # credentials (environment variable => key of var.git_credentials_secret), resources
  # and mounts (volume => path).
  git_sync_args        = var.manage_kubernetes_objects ? ["--repo=${var.tenants_repository}", "--ref=${var.tenants_ref}", "--root=${local.git_root}", "--link=current", "--depth=1"] : []
  git_sync_credentials = { GITSYNC_USERNAME = "username", GITSYNC_PASSWORD = "password" }
  git_sync_resources   = { requests = { cpu = "10m", memory = "32Mi" }, limits = { cpu = "200m", memory = "128Mi" } }
  git_sync_mounts      = { git = local.git_root, git-tmp = "/tmp" }

  # The pods' scratch volumes (emptyDir) with their size limits, in the pod spec's order.
  scratch_volumes = [
    { name = "git", size_limit = "256Mi" },
    { name = "git-tmp", size_limit = "64Mi" },
    { name = "data", size_limit = "256Mi" },
    { name = "tmp", size_limit = "64Mi" },
  ]

  # The settings of the ConfigMap alertd-settings. Connection strings, keys and ports are
  # not here, as in deploy/k8s/alertd/configmap.yaml: ALERTD_DATABASE_URL and
  # ALERTD_KAFKA_BROKERS come from the Secrets below, each role's port and internal key
  # file from role_env.
  settings = {
    ALERTD_HOST                  = "0.0.0.0"
    ALERTD_TENANTS               = local.tenants_dir
    ALERTD_DATA_DIR              = "/var/lib/alertd"
    ALERTD_LOG_LEVEL             = var.log_level
    ALERTD_KAFKA_TOPIC_PREFIX    = "alerts"
    ALERTD_KAFKA_GROUP           = "alertd-router"
    ALERTD_KAFKA_PARTITIONS      = tostring(var.kafka_partitions)
    ALERTD_KAFKA_SESSION_TIMEOUT = "10"
  }

  # The internal token key, a file of the Secret alertd-internal-key mounted into the
  # gateway and rating (as in deploy/k8s/alertd), and the URL the gateway forwards to.
  internal_key_dir   = "/etc/alertd/internal"
  internal_key_roles = toset(["gateway", "rating"])
  upstream           = "http://alertd-rating.${var.namespace}.svc:${var.roles["rating"].port}"

  # The environment of each role's alertd container besides the ConfigMap: its port, the
  # internal key's file and the gateway's upstream as values (role_env), and the
  # connection strings from the Secrets (role_secret_env, variable => Secret and key).
  # The gateway gets no connection string: it holds no tenant data.
  connection_env = {
    ALERTD_DATABASE_URL  = { secret = kubernetes_secret_v1.database.metadata[0].name, key = "url" }
    ALERTD_KAFKA_BROKERS = { secret = kubernetes_secret_v1.kafka.metadata[0].name, key = "brokers" }
  }
  role_env = {
    gateway = { ALERTD_PORT = tostring(var.roles["gateway"].port), ALERTD_UPSTREAM = local.upstream, ALERTD_INTERNAL_KEY_FILE = "${local.internal_key_dir}/key" }
    rating  = { ALERTD_PORT = tostring(var.roles["rating"].port), ALERTD_INTERNAL_KEY_FILE = "${local.internal_key_dir}/key" }
    router  = { ALERTD_ROUTER_PORT = tostring(try(var.roles["router"].port, 8081)) }
  }
  role_secret_env = {
    gateway = {}
    rating  = local.connection_env
    router  = local.connection_env
  }

  # Terraform's namespace when it owns it; otherwise the one Argo CD creates.
  namespace = var.manage_kubernetes_objects ? kubernetes_namespace_v1.alertd[0].metadata[0].name : var.namespace

  # The roles Terraform deploys: none when Argo CD owns the Deployments.
  roles = var.manage_kubernetes_objects ? var.roles : {}
}

resource "kubernetes_namespace_v1" "alertd" {
  count = var.manage_kubernetes_objects ? 1 : 0

  metadata {
    name = var.namespace
    labels = merge(local.labels, {
      "pod-security.kubernetes.io/enforce"         = "restricted"
      "pod-security.kubernetes.io/enforce-version" = "latest"
      "pod-security.kubernetes.io/warn"            = "restricted"
    })
  }
}

resource "kubernetes_service_account_v1" "alertd" {
  count = var.manage_kubernetes_objects ? 1 : 0

  metadata {
    name      = "alertd"
    namespace = local.namespace
    labels    = local.labels
  }

  automount_service_account_token = false
}

resource "kubernetes_config_map_v1" "settings" {
  count = var.manage_kubernetes_objects ? 1 : 0

  metadata {
    name      = "alertd-settings"
    namespace = local.namespace
    labels    = local.labels
  }

  data = local.settings
}

# The Secrets exist whoever owns the Deployments: both Terraform's Deployments below and
# those of deploy/k8s/alertd read ALERTD_DATABASE_URL and ALERTD_KAFKA_BROKERS from them,
# and the gateway and rating their internal token key. Argo CD leaves them alone: they are
# not in Git, and the AppProject alertd does not admit Secrets, so Argo CD neither syncs,
# prunes nor reports them as orphaned.
resource "kubernetes_secret_v1" "database" {
  metadata {
    name      = "alertd-database"
    namespace = local.namespace
    labels    = local.labels
  }

  data = {
    url = var.database_url
  }
}

resource "kubernetes_secret_v1" "kafka" {
  metadata {
    name      = "alertd-kafka"
    namespace = local.namespace
    labels    = local.labels
  }

  data = {
    brokers = var.kafka_brokers
  }
}

# The HS256 key with which the gateway signs the internal tokens it forwards to rating and
# rating verifies them (alertd needs at least 32 bytes). Only those two roles mount it.
# alertd reads it when it starts: after replacing it (terraform apply -replace on this
# resource), restart the gateway and rating; until both run with the new key, rating
# answers forwarded requests with 401.
resource "random_password" "internal_key" {
  length  = 64
  special = false
}

resource "kubernetes_secret_v1" "internal_key" {
  metadata {
    name      = "alertd-internal-key"
    namespace = local.namespace
    labels    = local.labels
  }

  data = {
    key = random_password.internal_key.result
  }
}

resource "kubernetes_deployment_v1" "role" {
  #checkov:skip=CKV_K8S_14:var.image must carry an @sha256 digest (validated); git-sync is pinned to a release tag
  #checkov:skip=CKV_K8S_43:var.image must carry an @sha256 digest (validated); git-sync is pinned to a release tag
  #checkov:skip=CKV_K8S_15:images are pinned (digest or release tag), so IfNotPresent pulls the same image as Always
  #checkov:skip=CKV_K8S_35:alertd reads receivers' env: secret references, ALERTD_DATABASE_URL and ALERTD_KAFKA_BROKERS from its environment by design; file: references use the mounted Secret
  for_each = local.roles

  metadata {
    name      = "alertd-${each.key}"
    namespace = local.namespace
    labels    = merge(local.labels, local.selectors[each.key])
  }

  spec {
    revision_history_limit = 5

    selector {
      match_labels = local.selectors[each.key]
    }

    strategy {
      type = "RollingUpdate"

      rolling_update {
        max_surge       = "25%"
        max_unavailable = "0"
      }
    }

    template {
      metadata {
        labels = merge(local.labels, local.selectors[each.key])
        annotations = {
          "prometheus.io/scrape" = "true"
          "prometheus.io/port"   = tostring(each.value.port)
          "prometheus.io/path"   = "/metrics"
        }
      }

      spec {
        service_account_name             = kubernetes_service_account_v1.alertd[0].metadata[0].name
        automount_service_account_token  = false
        enable_service_links             = false
        termination_grace_period_seconds = 30

        security_context {
          run_as_non_root = true
          run_as_user     = local.run_as
          run_as_group    = local.run_as
          fs_group        = local.run_as

          seccomp_profile {
            type = "RuntimeDefault"
          }
        }

        # Spread over zones, then over nodes.
        dynamic "topology_spread_constraint" {
          for_each = ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]

          content {
            max_skew           = 1
            topology_key       = topology_spread_constraint.value
            when_unsatisfiable = "ScheduleAnyway"

            label_selector {
              match_labels = local.selectors[each.key]
            }
          }
        }

        # The first checkout, so alertd starts with its tenants in place.
        init_container {
          name              = "git-clone"
          image             = var.git_sync_image
          image_pull_policy = "IfNotPresent"
          args              = concat(local.git_sync_args, ["--one-time"])

          dynamic "env" {
            for_each = local.git_sync_credentials

            content {
              name = env.key

              value_from {
                secret_key_ref {
                  name     = var.git_credentials_secret
                  key      = env.value
                  optional = true
                }
              }
            }
          }

          resources {
            requests = local.git_sync_resources.requests
            limits   = local.git_sync_resources.limits
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            run_as_non_root            = true

            capabilities {
              drop = ["ALL"]
            }
          }

          dynamic "volume_mount" {
            for_each = local.git_sync_mounts

            content {
              name       = volume_mount.key
              mount_path = volume_mount.value
            }
          }
        }

        container {
          name              = "alertd"
          image             = var.image
          image_pull_policy = "IfNotPresent"
          command           = ["alertd"]
          args              = [each.key]

          env_from {
            config_map_ref {
              name = kubernetes_config_map_v1.settings[0].metadata[0].name
            }
          }

          # Receivers' env: secret references, for the roles that deliver notifications.
          dynamic "env_from" {
            for_each = each.key == "gateway" ? [] : [var.receiver_secret]

            content {
              secret_ref {
                name     = env_from.value
                optional = true
              }
            }
          }

          dynamic "env" {
            for_each = local.role_env[each.key]

            content {
              name  = env.key
              value = env.value
            }
          }

          # The connection strings come from the Secrets, never from flags, so the database
          # password does not appear on the command line.
          dynamic "env" {
            for_each = local.role_secret_env[each.key]

            content {
              name = env.key

              value_from {
                secret_key_ref {
                  name = env.value.secret
                  key  = env.value.key
                }
              }
            }
          }

          port {
            name           = "http"
            container_port = each.value.port
            protocol       = "TCP"
          }

          # The first start of a new tenant creates its schema and runs the migrations
          # (rating, router); the gateway starts once its tenants are loaded.
          startup_probe {
            http_get {
              path = "/healthz"
              port = "http"
            }
            period_seconds    = 2
            failure_threshold = 60
          }

          liveness_probe {
            http_get {
              path = "/healthz"
              port = "http"
            }
            period_seconds    = 10
            timeout_seconds   = 2
            failure_threshold = 3
          }

          readiness_probe {
            http_get {
              path = "/readyz"
              port = "http"
            }
            period_seconds    = 5
            timeout_seconds   = 2
            failure_threshold = 2
          }

          # The endpoints controller takes the pod out of its Service before alertd gets
          # SIGTERM and drains.
          lifecycle {
            pre_stop {
              exec {
                command = ["sleep", "5"]
              }
            }
          }

          resources {
            requests = { cpu = each.value.cpu_request, memory = each.value.memory_request }
            limits   = { cpu = each.value.cpu_limit, memory = each.value.memory_limit }
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            run_as_non_root            = true

            capabilities {
              drop = ["ALL"]
            }
          }

          volume_mount {
            name       = "git"
            mount_path = local.git_root
            read_only  = true
          }

          volume_mount {
            name       = "data"
            mount_path = "/var/lib/alertd"
          }

          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }

          dynamic "volume_mount" {
            for_each = contains(local.internal_key_roles, each.key) ? [local.internal_key_dir] : []

            content {
              name       = "internal-key"
              mount_path = volume_mount.value
              read_only  = true
            }
          }

          dynamic "volume_mount" {
            for_each = each.key == "gateway" ? [] : ["/run/secrets"]

            content {
              name       = "receiver-secrets"
              mount_path = volume_mount.value
              read_only  = true
            }
          }
        }

        container {
          name              = "git-sync"
          image             = var.git_sync_image
          image_pull_policy = "IfNotPresent"
          args              = concat(local.git_sync_args, ["--period=30s", "--max-failures=-1", "--http-bind=:8090"])

          dynamic "env" {
            for_each = local.git_sync_credentials

            content {
              name = env.key

              value_from {
                secret_key_ref {
                  name     = var.git_credentials_secret
                  key      = env.value
                  optional = true
                }
              }
            }
          }

          port {
            name           = "git-sync"
            container_port = 8090
            protocol       = "TCP"
          }

          liveness_probe {
            http_get {
              path = "/"
              port = "git-sync"
            }
            period_seconds    = 30
            failure_threshold = 3
          }

          readiness_probe {
            http_get {
              path = "/"
              port = "git-sync"
            }
            period_seconds = 10
          }

          resources {
            requests = local.git_sync_resources.requests
            limits   = local.git_sync_resources.limits
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            run_as_non_root            = true

            capabilities {
              drop = ["ALL"]
            }
          }

          dynamic "volume_mount" {
            for_each = local.git_sync_mounts

            content {
              name       = volume_mount.key
              mount_path = volume_mount.value
            }
          }
        }

        dynamic "volume" {
          for_each = local.scratch_volumes

          content {
            name = volume.value.name

            empty_dir {
              size_limit = volume.value.size_limit
            }
          }
        }

        dynamic "volume" {
          for_each = contains(local.internal_key_roles, each.key) ? [kubernetes_secret_v1.internal_key.metadata[0].name] : []

          content {
            name = "internal-key"

            secret {
              secret_name  = volume.value
              default_mode = "0440"

              items {
                key  = "key"
                path = "key"
              }
            }
          }
        }

        dynamic "volume" {
          for_each = each.key == "gateway" ? [] : [var.receiver_secret]

          content {
            name = "receiver-secrets"

            secret {
              secret_name = volume.value
              optional    = true
            }
          }
        }
      }
    }
  }

  # The HorizontalPodAutoscaler owns the replica count.
  lifecycle {
    ignore_changes = [spec[0].replicas]
  }
}

resource "kubernetes_service_v1" "role" {
  for_each = local.roles

  metadata {
    name      = "alertd-${each.key}"
    namespace = local.namespace
    labels    = merge(local.labels, local.selectors[each.key])
  }

  spec {
    type     = "ClusterIP"
    selector = local.selectors[each.key]

    port {
      name        = "http"
      port        = each.value.port
      target_port = "http"
      protocol    = "TCP"
    }
  }
}

resource "kubernetes_horizontal_pod_autoscaler_v2" "role" {
  for_each = local.roles

  metadata {
    name      = "alertd-${each.key}"
    namespace = local.namespace
    labels    = merge(local.labels, local.selectors[each.key])
  }

  spec {
    min_replicas = each.value.min_replicas
    max_replicas = each.value.max_replicas

    scale_target_ref {
      api_version = "apps/v1"
      kind        = "Deployment"
      name        = kubernetes_deployment_v1.role[each.key].metadata[0].name
    }

    metric {
      type = "Resource"

      resource {
        name = "cpu"

        target {
          type                = "Utilization"
          average_utilization = var.cpu_target_utilization
        }
      }
    }

    behavior {
      scale_down {
        stabilization_window_seconds = 300
        select_policy                = "Max"

        policy {
          type           = "Pods"
          value          = 1
          period_seconds = 60
        }
      }
    }
  }
}

resource "kubernetes_pod_disruption_budget_v1" "role" {
  for_each = local.roles

  metadata {
    name      = "alertd-${each.key}"
    namespace = local.namespace
    labels    = merge(local.labels, local.selectors[each.key])
  }

  spec {
    max_unavailable = "1"

    selector {
      match_labels = local.selectors[each.key]
    }
  }
}

# Nothing reaches alertd's pods unless a policy below lets it in. Egress stays open:
# receivers (Slack, PagerDuty, webhooks) and the tenants' JWKS URLs are anywhere on the
# internet, besides PostgreSQL, Kafka, the git server and DNS.
resource "kubernetes_network_policy_v1" "default_deny" {
  count = var.manage_kubernetes_objects ? 1 : 0

  metadata {
    name      = "default-deny-ingress"
    namespace = local.namespace
    labels    = local.labels
  }

  spec {
    pod_selector {}
    policy_types = ["Ingress"]
  }
}

# The gateway is the public door (authentication happens in alertd); every other role
# admits Prometheus, and rating also the gateway's pods, the only ones it takes requests
# from (it refuses any token but the gateway's internal ones as well).
resource "kubernetes_network_policy_v1" "role" {
  for_each = local.roles

  metadata {
    name      = "alertd-${each.key}"
    namespace = local.namespace
    labels    = merge(local.labels, local.selectors[each.key])
  }

  spec {
    pod_selector {
      match_labels = local.selectors[each.key]
    }
    policy_types = ["Ingress"]

    dynamic "ingress" {
      for_each = each.key == "gateway" ? [1] : []

      content {
        ports {
          port     = "http"
          protocol = "TCP"
        }
      }
    }

    dynamic "ingress" {
      for_each = each.key == "gateway" ? [] : [1]

      content {
        from {
          namespace_selector {
            match_labels = { "kubernetes.io/metadata.name" = var.monitoring_namespace }
          }
        }

        dynamic "from" {
          for_each = each.key == "rating" ? [local.selectors["gateway"]] : []

          content {
            pod_selector {
              match_labels = from.value
            }
          }
        }

        ports {
          port     = "http"
          protocol = "TCP"
        }
      }
    }
  }
}
