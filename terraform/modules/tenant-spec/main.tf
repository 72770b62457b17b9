# Turns one tenants/<id>/tenant.yaml into the names and sizes of the resources the tenant
# module creates. No providers: everything here is computed from the file, so it is
# checked by `terraform test` without any download.

locals {
  document  = yamldecode(var.tenant_yaml != null ? var.tenant_yaml : file(var.tenant_file))
  directory = basename(dirname(var.tenant_file))

  id   = try(tostring(local.document.id), "")
  name = try(tostring(local.document.name), local.id)

  # tenants/schema.json: the id names a Kubernetes namespace, a Kafka topic part and,
  # with '-' as '_', a PostgreSQL schema.
  id_pattern = "^[a-z][a-z0-9-]{1,38}$"
  id_valid   = can(regex(local.id_pattern, local.id))

  # The defaults alertd applies to every quota the file leaves out (tenants/schema.json).
  default_quotas = {
    ingestPerSecond        = 50
    ingestBurst            = 100
    maxBodyBytes           = 1048576
    maxBatchSize           = 1000
    maxActiveAlerts        = 10000
    notificationsPerMinute = 60
    retentionDays          = 30
  }
  declared_quotas = try(keys(local.document.quotas), [])
  unknown_quotas  = setsubtract(local.declared_quotas, keys(local.default_quotas))
  quotas = {
    for key, default in local.default_quotas :
    key => try(tonumber(local.document.quotas[key]), default)
  }
  invalid_quotas = sort(distinct(concat(
    [for key in local.declared_quotas : key if try(tonumber(local.document.quotas[key]) <= 0, true)],
    [for key, value in local.quotas : key if key != "ingestPerSecond" && floor(value) != value],
  )))

  rate = max(local.quotas.ingestPerSecond, 0)

  # The tenant's namespace runs what the tenant operates next to alertd (its producers,
  # exporters and the secrets its receivers read). What it may run grows with the ingest it
  # is allowed: 10 millicores of CPU per alert per second (at least 250m), 256 MiB of
  # memory plus 256 MiB per 10,000 active alerts, limits at twice the requests, and no
  # load balancers, node ports or volumes: nothing in it keeps state.
  cpu_request_millicores   = max(250, ceil(local.rate * 10))
  memory_request_mebibytes = 256 + 256 * ceil(max(local.quotas.maxActiveAlerts, 0) / 10000)
  resource_quota = {
    "requests.cpu"           = "${local.cpu_request_millicores}m"
    "limits.cpu"             = "${2 * local.cpu_request_millicores}m"
    "requests.memory"        = "${local.memory_request_mebibytes}Mi"
    "limits.memory"          = "${2 * local.memory_request_mebibytes}Mi"
    "pods"                   = tostring(max(4, ceil(local.rate / 10)))
    "services.loadbalancers" = "0"
    "services.nodeports"     = "0"
    "persistentvolumeclaims" = "0"
    "requests.storage"       = "0"
  }
  limit_range = {
    default_request = { cpu = "50m", memory = "64Mi" }
    default         = { cpu = "250m", memory = "256Mi" }
    max = {
      cpu    = "${2 * local.cpu_request_millicores}m"
      memory = "${2 * local.memory_request_mebibytes}Mi"
    }
  }

  # Kafka: one partition per 25 alerts per second, never fewer than alertd's default of 3,
  # so the router's consumer group can spread the tenant's load. The topic is a buffer
  # (the database keeps the history), so it keeps at most 7 days; the dead-letter topic
  # keeps the tenant's whole retention. A record carries one alert, at most one body.
  day_ms = 86400000
  kafka = {
    topic             = "${var.topic_prefix}.${local.id}"
    dlq_topic         = "${var.topic_prefix}.${local.id}.dlq"
    partitions        = max(3, ceil(local.rate / 25))
    retention_ms      = min(max(local.quotas.retentionDays, 1), 7) * local.day_ms
    dlq_retention_ms  = max(local.quotas.retentionDays, 1) * local.day_ms
    max_message_bytes = max(local.quotas.maxBodyBytes, 1024) + 65536
  }

  # PostgreSQL names as alertd's PostgresNamespace derives them.
  sql_base = replace(local.id, "-", "_")
  postgres = {
    schema = "tenant_${local.sql_base}"
    role   = "alertd_t_${local.sql_base}"
  }

  labels = {
    "app.kubernetes.io/part-of"    = "alertd"
    "app.kubernetes.io/managed-by" = "terraform"
    "alertd.io/tenant"             = local.id
  }
}
