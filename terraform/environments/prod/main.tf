# The prod environment: modules/platform with prod's sizes and redundancy, which are all
# that differ between the environments (terraform/README.md).

module "platform" {
  source = "../../modules/platform"

  environment            = "prod"
  region                 = var.region
  availability_zones     = var.availability_zones
  admin_role_arns        = var.admin_role_arns
  runner_security_groups = var.runner_security_groups
  api_access_cidrs       = var.api_access_cidrs
  alertd_image           = var.alertd_image
  tenants_repository     = var.tenants_repository

  network = {
    cidr_block         = "10.42.0.0/16"
    single_nat_gateway = false
  }

  cluster = {
    node_instance_types = ["m7i.xlarge"]
    node_count          = { min = 3, desired = 6, max = 12 }
  }

  kafka = {
    broker_count         = 3
    broker_instance_type = "kafka.m7g.large"
    broker_volume_gib    = 500
    replication_factor   = 3
  }

  postgres = {
    instance_class            = "db.r7g.xlarge"
    allocated_storage_gib     = 200
    max_allocated_storage_gib = 2000
    multi_az                  = true
    backup_retention_days     = 30
    deletion_protection       = true
  }

  observability = {
    prometheus_replicas    = 2
    prometheus_retention   = "30d"
    prometheus_storage_gib = 200
    loki_retention_days    = 31
  }

  alertd = {
    log_level = "info"
    roles = {
      gateway = { port = 8080, min_replicas = 3, max_replicas = 12 }
      rating  = { port = 8080, min_replicas = 2, max_replicas = 6 }
      router  = { port = 8081, min_replicas = 3, max_replicas = 9 }
    }
  }
}
