# The demo tenants of this repository, read from their files.

run "acme" {
  command = plan

  variables {
    tenant_file = "../../../tenants/acme/tenant.yaml"
  }

  assert {
    condition     = output.id == "acme" && output.name == "Acme Corp"
    error_message = "acme's id and name are read from its file"
  }
  assert {
    condition     = output.namespace == "tenant-acme"
    error_message = "acme's namespace is tenant-acme"
  }
  assert {
    condition     = output.labels["alertd.io/tenant"] == "acme" && output.labels["app.kubernetes.io/part-of"] == "alertd"
    error_message = "acme's objects are labelled with its id"
  }
  assert {
    condition     = output.quotas.ingestPerSecond == 50 && output.quotas.maxActiveAlerts == 10000 && output.quotas.retentionDays == 30
    error_message = "acme's quotas are read from its file"
  }
  assert {
    condition = output.resource_quota == {
      "requests.cpu"           = "500m"
      "limits.cpu"             = "1000m"
      "requests.memory"        = "512Mi"
      "limits.memory"          = "1024Mi"
      "pods"                   = "5"
      "services.loadbalancers" = "0"
      "services.nodeports"     = "0"
      "persistentvolumeclaims" = "0"
      "requests.storage"       = "0"
    }
    error_message = "acme's ResourceQuota follows from 50 alerts/s and 10000 active alerts"
  }
  assert {
    condition     = output.limit_range.max.cpu == "1000m" && output.limit_range.max.memory == "1024Mi"
    error_message = "no container may ask for more than the namespace's quota"
  }
  assert {
    condition     = output.kafka.topic == "alerts.acme" && output.kafka.dlq_topic == "alerts.acme.dlq"
    error_message = "acme's topics are alerts.acme and alerts.acme.dlq"
  }
  assert {
    condition     = output.kafka.partitions == 3 && output.kafka.retention_ms == 604800000 && output.kafka.dlq_retention_ms == 2592000000
    error_message = "acme's topic has 3 partitions and keeps 7 days, its dead-letter topic 30 days"
  }
  assert {
    condition     = output.kafka.max_message_bytes == 1048576 + 65536
    error_message = "a record may hold a whole request body"
  }
  assert {
    condition     = output.postgres.schema == "tenant_acme" && output.postgres.role == "alertd_t_acme"
    error_message = "acme's PostgreSQL names are the ones alertd uses"
  }
}

run "globex_takes_the_default_quotas" {
  command = plan

  variables {
    tenant_file = "../../../tenants/globex/tenant.yaml"
  }

  assert {
    condition     = output.id == "globex" && output.name == "Globex Corporation"
    error_message = "globex's id and name are read from its file"
  }
  assert {
    condition = output.quotas == {
      ingestPerSecond        = 50
      ingestBurst            = 100
      maxBodyBytes           = 1048576
      maxBatchSize           = 1000
      maxActiveAlerts        = 10000
      notificationsPerMinute = 60
      retentionDays          = 30
    }
    error_message = "a tenant without quotas gets alertd's defaults"
  }
  assert {
    condition     = output.namespace == "tenant-globex" && output.kafka.topic == "alerts.globex" && output.postgres.schema == "tenant_globex"
    error_message = "globex's names follow its id"
  }
  assert {
    condition     = output.resource_quota["requests.cpu"] == "500m" && output.resource_quota["requests.memory"] == "512Mi"
    error_message = "the default quotas give the default namespace quota"
  }
}

run "dashes_become_underscores_in_postgres_names" {
  command = plan

  variables {
    tenant_file = "tenants/blue-team/tenant.yaml"
    tenant_yaml = <<-EOT
      id: blue-team
      auth: {issuer: "https://idp.blue.example", audience: alertd, jwks: {url: "https://idp.blue.example/jwks"}}
      routes: {receiver: hook}
      receivers: [{name: hook, webhook: {url: "https://hooks.blue.example/alerts"}}]
    EOT
  }

  assert {
    condition     = output.postgres.schema == "tenant_blue_team" && output.postgres.role == "alertd_t_blue_team"
    error_message = "PostgreSQL names replace '-' with '_'"
  }
  assert {
    condition     = output.namespace == "tenant-blue-team" && output.kafka.topic == "alerts.blue-team"
    error_message = "Kubernetes and Kafka names keep the dash"
  }
  assert {
    condition     = output.name == "blue-team"
    error_message = "a tenant without a name is shown by its id"
  }
}

run "a_busy_tenant_gets_more_room" {
  command = plan

  variables {
    tenant_file = "tenants/busy/tenant.yaml"
    tenant_yaml = <<-EOT
      id: busy
      auth: {issuer: "https://idp.busy.example", audience: alertd, jwks: {url: "https://idp.busy.example/jwks"}}
      quotas: {ingestPerSecond: 400, maxActiveAlerts: 50000, maxBodyBytes: 4194304, retentionDays: 3}
      routes: {receiver: hook}
      receivers: [{name: hook, webhook: {url: "https://hooks.busy.example/alerts"}}]
    EOT
  }

  assert {
    condition     = output.quotas.ingestPerSecond == 400 && output.quotas.ingestBurst == 100
    error_message = "declared quotas override the defaults one by one"
  }
  assert {
    condition     = output.resource_quota["requests.cpu"] == "4000m" && output.resource_quota["limits.cpu"] == "8000m"
    error_message = "CPU grows by 10m per alert per second"
  }
  assert {
    condition     = output.resource_quota["requests.memory"] == "1536Mi" && output.resource_quota.pods == "40"
    error_message = "memory grows with active alerts, pods with the ingest rate"
  }
  assert {
    condition     = output.kafka.partitions == 16
    error_message = "one partition per 25 alerts per second"
  }
  assert {
    condition     = output.kafka.retention_ms == 3 * 86400000 && output.kafka.dlq_retention_ms == 3 * 86400000
    error_message = "a retention shorter than 7 days bounds the topic too"
  }
  assert {
    condition     = output.kafka.max_message_bytes == 4194304 + 65536
    error_message = "max.message.bytes follows maxBodyBytes"
  }
}

run "custom_prefixes" {
  command = plan

  variables {
    tenant_file      = "../../../tenants/acme/tenant.yaml"
    namespace_prefix = "alertd-"
    topic_prefix     = "events"
  }

  assert {
    condition     = output.namespace == "alertd-acme" && output.kafka.topic == "events.acme" && output.kafka.dlq_topic == "events.acme.dlq"
    error_message = "the prefixes are applied"
  }
}
