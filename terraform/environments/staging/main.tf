# The staging environment: modules/platform with staging's sizes and redundancy, which are all
# that differ between the environments (terraform/README.md).

module "platform" {
  source = "../../modules/platform"

  environment            = "staging"
  region                 = var.region
  availability_zones     = var.availability_zones
  admin_role_arns        = var.admin_role_arns
  runner_security_groups = var.runner_security_groups
  api_access_cidrs       = var.api_access_cidrs
  alertd_image           = var.alertd_image
  tenants_repository     = var.tenants_repository

  network = {
    cidr_block         = "10.41.0.0/16"
    single_nat_gateway = true
  }

  cluster = {
    node_instance_types = ["m7i.large"]
    node_count          = { min = 3, desired = 3, max = 6 }
  }

  kafka = {
    broker_count         = 3
    broker_instance_type = "kafka.m7g.large"
    broker_volume_gib    = 50
    replication_factor   = 3
  }

  postgres = {
    instance_class            = "db.m7g.large"
    allocated_storage_gib     = 50
    max_allocated_storage_gib = 200
    multi_az                  = true
    backup_retention_days     = 7
    deletion_protection       = true
  }

  observability = {
    prometheus_replicas    = 2
    prometheus_retention   = "7d"
    prometheus_storage_gib = 50
    loki_retention_days    = 14
  }

  alertd = {
    log_level = "info"
    roles = {
      gateway = { port = 8080, min_replicas = 2, max_replicas = 4 }
      rating  = { port = 8080, min_replicas = 2, max_replicas = 3 }
      router  = { port = 8081, min_replicas = 2, max_replicas = 3 }
    }
  }
}
