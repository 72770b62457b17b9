# Terraform reads provider configurations from the root module only, so they are here;
# their settings are outputs of modules/platform, the same for every environment.

provider "aws" {
  region = var.region

  default_tags {
    tags = module.platform.tags
  }
}

provider "kubernetes" {
  host                   = module.platform.kubernetes.host
  cluster_ca_certificate = module.platform.kubernetes.cluster_ca_certificate

  exec {
    api_version = module.platform.kubernetes.exec.api_version
    command     = module.platform.kubernetes.exec.command
    args        = module.platform.kubernetes.exec.args
  }
}

provider "helm" {
  kubernetes = module.platform.kubernetes
}

provider "kafka" {
  bootstrap_servers = module.platform.kafka.bootstrap_servers
  tls_enabled       = module.platform.kafka.tls_enabled
  sasl_mechanism    = module.platform.kafka.sasl_mechanism
  sasl_username     = module.platform.kafka.sasl_username
  sasl_password     = module.platform.kafka.sasl_password
}

# The master credentials RDS keeps in Secrets Manager, read for this run only and never
# written to the state.
ephemeral "aws_secretsmanager_secret_version" "postgres_master" {
  secret_id = module.platform.postgres.master_user_secret_arn
}

provider "postgresql" {
  host            = module.platform.postgres.host
  port            = module.platform.postgres.port
  database        = module.platform.postgres.database
  username        = jsondecode(ephemeral.aws_secretsmanager_secret_version.postgres_master.secret_string).username
  password        = jsondecode(ephemeral.aws_secretsmanager_secret_version.postgres_master.secret_string).password
  sslmode         = module.platform.postgres.sslmode
  superuser       = module.platform.postgres.superuser
  connect_timeout = module.platform.postgres.connect_timeout
}
