# An MSK cluster for the tenants' alert topics. Inside the VPC, alertd connects on the
# plaintext listener (alertd has no Kafka TLS or SASL settings; the security group admits
# only the cluster's nodes and the listed clients), which MSK names User:ANONYMOUS;
# Terraform and tenants' own producers authenticate with SASL/SCRAM over TLS. A resource
# that has ACLs admits only the principals they list, and every tenant topic has ACLs
# (see the tenant module): alertd and that tenant's own producer only.

# MSK and Secrets Manager use the key through the account's grants to AWS services.
module "key" {
  source = "../kms-key"

  description = "${var.name} MSK storage and SCRAM secrets"
  tags        = var.tags
}

resource "aws_security_group" "brokers" {
  name        = "${var.name}-kafka"
  description = "MSK brokers of ${var.name}"
  vpc_id      = var.vpc_id

  tags = merge(var.tags, { Name = "${var.name}-kafka" })
}

resource "aws_vpc_security_group_ingress_rule" "plaintext" {
  for_each = var.client_security_groups

  security_group_id            = aws_security_group.brokers.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 9092
  to_port                      = 9092
  description                  = "alertd, plaintext inside the VPC"
}

resource "aws_vpc_security_group_ingress_rule" "scram" {
  for_each = var.client_security_groups

  security_group_id            = aws_security_group.brokers.id
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = 9096
  to_port                      = 9096
  description                  = "SASL/SCRAM over TLS"
}

resource "aws_msk_configuration" "this" {
  name           = var.name
  kafka_versions = [var.kafka_version]

  server_properties = <<-EOT
    auto.create.topics.enable=false
    allow.everyone.if.no.acl.found=true
    default.replication.factor=${var.replication_factor}
    min.insync.replicas=${max(var.replication_factor - 1, 1)}
    unclean.leader.election.enable=false
  EOT
}

resource "aws_cloudwatch_log_group" "brokers" {
  name              = "/aws/msk/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.logs_key.arn

  tags = var.tags
}

module "logs_key" {
  source = "../kms-key"

  description     = "${var.name} MSK broker logs"
  cloudwatch_logs = {}
  tags            = var.tags
}

resource "aws_msk_cluster" "this" {
  #checkov:skip=CKV_AWS_81:alertd's Kafka client has no TLS settings, so the plaintext listener stays open inside the VPC (security group: cluster nodes and runners only); SCRAM clients use TLS
  cluster_name           = var.name
  kafka_version          = var.kafka_version
  number_of_broker_nodes = var.broker_count
  enhanced_monitoring    = "PER_TOPIC_PER_BROKER"

  broker_node_group_info {
    instance_type   = var.broker_instance_type
    client_subnets  = var.subnet_ids
    security_groups = [aws_security_group.brokers.id]

    storage_info {
      ebs_storage_info {
        volume_size = var.broker_volume_gib
      }
    }

    connectivity_info {
      public_access {
        type = "DISABLED"
      }
    }
  }

  client_authentication {
    unauthenticated = true

    sasl {
      scram = true
    }
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = module.key.arn

    encryption_in_transit {
      client_broker = "TLS_PLAINTEXT"
      in_cluster    = true
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.this.arn
    revision = aws_msk_configuration.this.latest_revision
  }

  open_monitoring {
    prometheus {
      jmx_exporter {
        enabled_in_broker = true
      }
      node_exporter {
        enabled_in_broker = true
      }
    }
  }

  logging_info {
    broker_logs {
      cloudwatch_logs {
        enabled   = true
        log_group = aws_cloudwatch_log_group.brokers.name
      }
    }
  }

  tags = var.tags
}

# Terraform's own SCRAM user, which creates topics and ACLs. MSK reads SCRAM users from
# secrets named AmazonMSK_* encrypted with a customer managed key.
resource "random_password" "terraform" {
  length  = 32
  special = false
}

resource "aws_secretsmanager_secret" "terraform" {
  #checkov:skip=CKV2_AWS_57:the password is a Terraform random_password, rotated by replacing it; a rotation Lambda would fight Terraform over it
  name                    = "AmazonMSK_${var.name}_terraform"
  description             = "SCRAM credentials Terraform uses to administer the ${var.name} Kafka cluster"
  kms_key_id              = module.key.arn
  recovery_window_in_days = 7

  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "terraform" {
  secret_id = aws_secretsmanager_secret.terraform.id
  secret_string = jsonencode({
    username = "terraform"
    password = random_password.terraform.result
  })
}

resource "aws_secretsmanager_secret_policy" "terraform" {
  secret_arn = aws_secretsmanager_secret.terraform.arn
  policy     = data.aws_iam_policy_document.scram_secret.json
}

data "aws_iam_policy_document" "scram_secret" {
  statement {
    sid       = "MSKReadsSCRAMSecret"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.terraform.arn]

    principals {
      type        = "Service"
      identifiers = ["kafka.amazonaws.com"]
    }
  }
}

resource "aws_msk_scram_secret_association" "this" {
  cluster_arn     = aws_msk_cluster.this.arn
  secret_arn_list = concat([aws_secretsmanager_secret.terraform.arn], var.producer_scram_secret_arns)

  depends_on = [aws_secretsmanager_secret_version.terraform]
}
