terraform {
  required_version = ">= 1.10"

  # The providers this root module configures; the modules constrain their versions
  # (modules/*/versions.tf).
  required_providers {
    aws        = { source = "hashicorp/aws" }
    helm       = { source = "hashicorp/helm" }
    kafka      = { source = "Mongey/kafka" }
    kubernetes = { source = "hashicorp/kubernetes" }
    postgresql = { source = "cyrilgdn/postgresql" }
  }

  # State in S3, locked with a lock file next to it (S3 conditional writes): a second
  # plan or apply waits for, or fails on, the lock instead of racing.
  backend "s3" {
    bucket       = "alertd-terraform-state"
    key          = "dev/terraform.tfstate"
    region       = "eu-central-1"
    encrypt      = true
    use_lockfile = true
  }
}
