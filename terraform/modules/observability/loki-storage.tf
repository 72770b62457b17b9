# Loki keeps its chunks and index in S3, reached through an IAM role for its service
# account.

data "aws_region" "current" {}

# S3 uses the key through Loki's role (below) and the account's grants to AWS services.
module "loki_key" {
  source = "../kms-key"

  description = "${var.name} Loki log storage"
  tags        = var.tags
}

resource "aws_s3_bucket" "loki" {
  #checkov:skip=CKV_AWS_18:only Loki's role reads and writes the bucket; requests are audited through CloudTrail, and an access-log bucket would itself need logging
  #checkov:skip=CKV_AWS_144:logs are kept for weeks and lost logs are not restored from a replica; no cross-region copy
  #checkov:skip=CKV2_AWS_62:nothing consumes events of Loki's chunks
  bucket_prefix = "${var.name}-loki-"

  tags = var.tags
}

resource "aws_s3_bucket_public_access_block" "loki" {
  bucket = aws_s3_bucket.loki.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "loki" {
  bucket = aws_s3_bucket.loki.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "loki" {
  bucket = aws_s3_bucket.loki.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = module.loki_key.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "loki" {
  bucket = aws_s3_bucket.loki.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "loki" {
  bucket = aws_s3_bucket.loki.id

  rule {
    id     = "expire-after-retention"
    status = "Enabled"

    filter {}

    expiration {
      days = var.loki_retention_days + 1
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.loki]
}

data "aws_iam_policy_document" "loki_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:sub"
      values   = ["system:serviceaccount:${var.namespace}:loki"]
    }

    condition {
      test     = "StringEquals"
      variable = "${var.oidc_issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "loki" {
  name               = "${var.name}-loki"
  assume_role_policy = data.aws_iam_policy_document.loki_assume.json

  tags = var.tags
}

data "aws_iam_policy_document" "loki" {
  statement {
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.loki.arn]
  }

  statement {
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.loki.arn}/*"]
  }

  statement {
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [module.loki_key.arn]
  }
}

resource "aws_iam_role_policy" "loki" {
  name   = "loki-storage"
  role   = aws_iam_role.loki.id
  policy = data.aws_iam_policy_document.loki.json
}
