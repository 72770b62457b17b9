locals {
  environment     = "prod"
  name            = "alertd-${local.environment}"
  repository_root = "${path.root}/../../.."
  tenants_dir     = "${local.repository_root}/tenants"

  # Every tenants/<id>/tenant.yaml in the repository is a tenant: adding the file creates
  # its topics and schema, removing it destroys them.
  tenant_files = fileset(local.tenants_dir, "*/tenant.yaml")

  # Argo CD owns alertd's namespace and workloads (deploy/k8s/alertd) and the tenants'
  # namespaces (deploy/k8s/tenant); Terraform keeps the cloud, the topics, ACLs, schemas
  # and roles, and the Secrets alertd-database and alertd-kafka (terraform/README.md,
  # Who owns what).
  manage_kubernetes_objects = false

  tags = {
    project     = "alertd"
    environment = local.environment
    managed-by  = "terraform"
  }
}

module "network" {
  source = "../../modules/network"

  name               = local.name
  cidr_block         = "10.42.0.0/16"
  availability_zones = var.availability_zones
  single_nat_gateway = false
  tags               = local.tags
}

module "k8s_cluster" {
  source = "../../modules/k8s-cluster"

  name                = local.name
  vpc_id              = module.network.vpc_id
  subnet_ids          = module.network.private_subnet_ids
  public_access_cidrs = var.api_access_cidrs
  admin_role_arns     = var.admin_role_arns
  node_instance_types = ["m7i.xlarge"]
  node_count          = { min = 3, desired = 6, max = 12 }
  log_retention_days  = 365
  tags                = local.tags
}

module "kafka" {
  source = "../../modules/kafka"

  name                   = local.name
  vpc_id                 = module.network.vpc_id
  subnet_ids             = module.network.private_subnet_ids
  client_security_groups = merge({ cluster-nodes = module.k8s_cluster.node_security_group_id }, var.runner_security_groups)
  broker_count           = 3
  broker_instance_type   = "kafka.m7g.large"
  broker_volume_gib      = 500
  replication_factor     = 3
  tags                   = local.tags
}

module "postgres" {
  source = "../../modules/postgres"

  name                      = local.name
  vpc_id                    = module.network.vpc_id
  subnet_ids                = module.network.private_subnet_ids
  client_security_groups    = merge({ cluster-nodes = module.k8s_cluster.node_security_group_id }, var.runner_security_groups)
  instance_class            = "db.r7g.xlarge"
  allocated_storage_gib     = 200
  max_allocated_storage_gib = 2000
  multi_az                  = true
  backup_retention_days     = 30
  deletion_protection       = true
  tags                      = local.tags
}

module "observability" {
  source = "../../modules/observability"

  name                   = local.name
  oidc_provider_arn      = module.k8s_cluster.oidc_provider_arn
  oidc_issuer            = module.k8s_cluster.oidc_issuer
  dashboard_file         = "${path.root}/../../../deploy/observability/alertd-dashboard.json"
  rules_file             = "${path.root}/../../../deploy/observability/alertd-rules.yml"
  alertd_namespace       = module.alertd.namespace
  prometheus_replicas    = 2
  prometheus_retention   = "30d"
  prometheus_storage_gib = 200
  loki_retention_days    = 31
  tags                   = local.tags
}

module "alertd" {
  source = "../../modules/alertd"

  manage_kubernetes_objects = local.manage_kubernetes_objects
  kafka_brokers             = module.kafka.bootstrap_brokers
  database_url              = module.postgres.database_url

  # The Deployments' settings: in effect only when Terraform owns them.
  image              = var.alertd_image
  tenants_repository = var.tenants_repository
  tenants_ref        = "deployed/${local.environment}"
  log_level          = "info"
  roles = {
    gateway = { args = ["serve"], port = 8080, min_replicas = 3, max_replicas = 12 }
    rating  = { args = ["serve"], port = 8080, min_replicas = 2, max_replicas = 6 }
    router  = { args = ["router"], port = 8081, min_replicas = 3, max_replicas = 9 }
  }
}

module "tenant" {
  source   = "../../modules/tenant"
  for_each = { for file in local.tenant_files : dirname(file) => file }

  tenant_file               = "${local.tenants_dir}/${each.value}"
  manage_kubernetes_objects = local.manage_kubernetes_objects
  alertd_namespace          = module.alertd.namespace
  monitoring_namespace      = module.observability.namespace
  kafka_replication_factor  = 3
  database_name             = module.postgres.database_name
  app_role                  = module.postgres.app_role
}
