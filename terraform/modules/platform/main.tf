# One environment of alertd: the network, the EKS cluster, Kafka, PostgreSQL, the
# monitoring stack, alertd's Secrets (with manage_kubernetes_objects also its workloads)
# and a tenant module for every tenants/<id>/tenant.yaml in the repository. Each
# environments/<name> calls it once with its sizes; the backend and the provider
# configurations stay there, configured from this module's outputs.

locals {
  name        = "alertd-${var.environment}"
  tenants_dir = "${path.module}/../../../tenants"

  # Every tenants/<id>/tenant.yaml in the repository is a tenant: adding the file creates
  # its topics and schema, removing it destroys them.
  tenant_files = fileset(local.tenants_dir, "*/tenant.yaml")

  tags = {
    project     = "alertd"
    environment = var.environment
    managed-by  = "terraform"
  }

  # Kafka and PostgreSQL admit the cluster's nodes and the runners that apply Terraform.
  client_security_groups = merge({ cluster-nodes = module.k8s_cluster.node_security_group_id }, var.runner_security_groups)
}

module "network" {
  source = "../network"

  name               = local.name
  cidr_block         = var.network.cidr_block
  availability_zones = var.availability_zones
  single_nat_gateway = var.network.single_nat_gateway
  tags               = local.tags
}

module "k8s_cluster" {
  source = "../k8s-cluster"

  name                = local.name
  vpc_id              = module.network.vpc_id
  subnet_ids          = module.network.private_subnet_ids
  public_access_cidrs = var.api_access_cidrs
  admin_role_arns     = var.admin_role_arns
  node_instance_types = var.cluster.node_instance_types
  node_count          = var.cluster.node_count
  log_retention_days  = 365
  tags                = local.tags
}

module "kafka" {
  source = "../kafka"

  name                   = local.name
  vpc_id                 = module.network.vpc_id
  subnet_ids             = module.network.private_subnet_ids
  client_security_groups = local.client_security_groups
  broker_count           = var.kafka.broker_count
  broker_instance_type   = var.kafka.broker_instance_type
  broker_volume_gib      = var.kafka.broker_volume_gib
  replication_factor     = var.kafka.replication_factor
  tags                   = local.tags
}

module "postgres" {
  source = "../postgres"

  name                      = local.name
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.private_subnet_ids
  client_security_groups    = local.client_security_groups
  instance_class            = var.postgres.instance_class
  allocated_storage_gib     = var.postgres.allocated_storage_gib
  max_allocated_storage_gib = var.postgres.max_allocated_storage_gib
  multi_az                  = var.postgres.multi_az
  backup_retention_days     = var.postgres.backup_retention_days
  deletion_protection       = var.postgres.deletion_protection
  tags                      = local.tags
}

# The dashboard and the rules are the module's defaults, deploy/observability/.
module "observability" {
  source = "../observability"

  name                   = local.name
  oidc_provider_arn      = module.k8s_cluster.oidc_provider_arn
  oidc_issuer            = module.k8s_cluster.oidc_issuer
  alertd_namespace       = module.alertd.namespace
  prometheus_replicas    = var.observability.prometheus_replicas
  prometheus_retention   = var.observability.prometheus_retention
  prometheus_storage_gib = var.observability.prometheus_storage_gib
  loki_retention_days    = var.observability.loki_retention_days
  tags                   = local.tags
}

module "alertd" {
  source = "../alertd"

  manage_kubernetes_objects = var.manage_kubernetes_objects
  kafka_brokers             = module.kafka.bootstrap_brokers
  database_url              = module.postgres.database_url

  # The Deployments' settings: in effect only when Terraform owns them.
  image              = var.alertd_image
  tenants_repository = var.tenants_repository
  tenants_ref        = "deployed/${var.environment}"
  log_level          = var.alertd.log_level
  roles              = var.alertd.roles
}

module "tenant" {
  source   = "../tenant"
  for_each = { for file in local.tenant_files : dirname(file) => file }

  tenant_file               = "${local.tenants_dir}/${each.value}"
  manage_kubernetes_objects = var.manage_kubernetes_objects
  alertd_namespace          = module.alertd.namespace
  monitoring_namespace      = module.observability.namespace
  kafka_replication_factor  = var.kafka.replication_factor
  database_name             = module.postgres.database_name
  app_role                  = module.postgres.app_role
}
