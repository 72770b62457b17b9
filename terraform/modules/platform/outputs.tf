output "cluster_name" {
  description = "The EKS cluster (aws eks update-kubeconfig --name <this>)."
  value       = module.k8s_cluster.name
}

output "gateway_service" {
  description = "In-cluster URL of alertd's gateway."
  value       = module.alertd.gateway_service
}

output "tenants" {
  description = "Each tenant's namespace, topics and PostgreSQL schema."
  value = {
    for id, tenant in module.tenant : id => {
      namespace       = tenant.namespace
      topics          = tenant.topics
      postgres_schema = tenant.postgres_schema
    }
  }
}

# What the environments configure their providers with.

output "tags" {
  description = "Tags for every AWS resource (the aws provider's default_tags)."
  value       = local.tags
}

output "kubernetes" {
  description = "Connection to the cluster's API for the kubernetes and helm providers: a short-lived token from the AWS CLI."
  value = {
    host                   = module.k8s_cluster.endpoint
    cluster_ca_certificate = module.k8s_cluster.certificate_authority
    exec = {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.k8s_cluster.name, "--region", var.region]
    }
  }
}

output "kafka" {
  description = "Connection to the brokers for the kafka provider: Terraform's SCRAM user over TLS."
  sensitive   = true
  value = {
    bootstrap_servers = split(",", module.kafka.bootstrap_brokers_scram)
    tls_enabled       = true
    sasl_mechanism    = "scram-sha512"
    sasl_username     = module.kafka.terraform_username
    sasl_password     = module.kafka.terraform_password
  }
}

output "postgres" {
  description = "Connection to the database for the postgresql provider, without the credentials: the master user's are in the Secrets Manager secret master_user_secret_arn."
  value = {
    host                   = module.postgres.address
    port                   = module.postgres.port
    database               = module.postgres.database_name
    sslmode                = "require"
    superuser              = false
    connect_timeout        = 15
    master_user_secret_arn = module.postgres.master_user_secret_arn
  }
}
