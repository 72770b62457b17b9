# A customer managed KMS key with yearly rotation. Its policy lets the account administer
# it; the AWS services that encrypt with it (EKS, MSK, RDS, Secrets Manager, S3) use it
# through the account's grants, and with cloudwatch_logs CloudWatch Logs in this region
# may use it too.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_iam_policy_document" "key" {
  # A key policy's Resource "*" is the key itself, and the account root must administer it.
  #checkov:skip=CKV_AWS_109:a key policy's Resource "*" is this key only
  #checkov:skip=CKV_AWS_111:a key policy's Resource "*" is this key only
  #checkov:skip=CKV_AWS_356:a key policy's Resource "*" is this key only

  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  dynamic "statement" {
    for_each = var.cloudwatch_logs == null ? [] : [var.cloudwatch_logs]

    content {
      sid       = "CloudWatchLogsEncrypts"
      actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
      resources = ["*"]

      principals {
        type        = "Service"
        identifiers = ["logs.${data.aws_region.current.region}.amazonaws.com"]
      }

      dynamic "condition" {
        for_each = statement.value.log_group == null ? [] : [statement.value.log_group]

        content {
          test     = "ArnLike"
          variable = "kms:EncryptionContext:aws:logs:arn"
          values   = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:log-group:${condition.value}"]
        }
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description         = var.description
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json

  tags = var.tags
}
