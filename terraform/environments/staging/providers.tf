provider "aws" {
  region = var.region

  default_tags {
    tags = local.tags
  }
}

# Kubernetes and Helm authenticate with a short-lived token from the AWS CLI.
provider "kubernetes" {
  host                   = module.k8s_cluster.endpoint
  cluster_ca_certificate = module.k8s_cluster.certificate_authority

  exec {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", module.k8s_cluster.name, "--region", var.region]
  }
}

provider "helm" {
  kubernetes = {
    host                   = module.k8s_cluster.endpoint
    cluster_ca_certificate = module.k8s_cluster.certificate_authority

    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.k8s_cluster.name, "--region", var.region]
    }
  }
}

provider "kafka" {
  bootstrap_servers = split(",", module.kafka.bootstrap_brokers_scram)
  tls_enabled       = true
  sasl_mechanism    = "scram-sha512"
  sasl_username     = module.kafka.terraform_username
  sasl_password     = module.kafka.terraform_password
}

# The master credentials RDS keeps in Secrets Manager, read for this run only and never
# written to the state.
ephemeral "aws_secretsmanager_secret_version" "postgres_master" {
  secret_id = module.postgres.master_user_secret_arn
}

provider "postgresql" {
  host            = module.postgres.address
  port            = module.postgres.port
  database        = module.postgres.database_name
  username        = jsondecode(ephemeral.aws_secretsmanager_secret_version.postgres_master.secret_string).username
  password        = jsondecode(ephemeral.aws_secretsmanager_secret_version.postgres_master.secret_string).password
  sslmode         = "require"
  superuser       = false
  connect_timeout = 15
}
