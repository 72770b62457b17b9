# The dev environment: modules/platform with dev's sizes and redundancy, which are all
# that differ between the environments (terraform/README.md).

module "platform" {
  source = "../../modules/platform"

  environment            = "dev"
  region                 = var.region
  availability_zones     = var.availability_zones
  admin_role_arns        = var.admin_role_arns
  runner_security_groups = var.runner_security_groups
  api_access_cidrs       = var.api_access_cidrs
  alertd_image           = var.alertd_image
  tenants_repository     = var.tenants_repository

  network = {
    cidr_block         = "10.40.0.0/16"
    single_nat_gateway = true
  }

  cluster = {
    node_instance_types = ["m7i.large"]
    node_count          = { min = 2, desired = 2, max = 4 }
  }

  kafka = {
    broker_count         = 2
    broker_instance_type = "kafka.m7g.large"
    broker_volume_gib    = 20
    replication_factor   = 2
  }

  postgres = {
    instance_class            = "db.t4g.medium"
    allocated_storage_gib     = 20
    max_allocated_storage_gib = 100
    multi_az                  = false
    backup_retention_days     = 7
    deletion_protection       = false
  }

  observability = {
    prometheus_replicas    = 1
    prometheus_retention   = "7d"
    prometheus_storage_gib = 20
    loki_retention_days    = 7
  }

  alertd = {
    log_level = "debug"
    roles = {
      gateway = { port = 8080, min_replicas = 1, max_replicas = 3 }
      rating  = { port = 8080, min_replicas = 1, max_replicas = 2 }
      router  = { port = 8081, min_replicas = 1, max_replicas = 3 }
    }
  }
}
