# The account `npm run bench -- compare` measures: SES tenants (each a module instance with its
# configuration set, Firehose stream, buckets with lifecycles, log groups, IAM, SQS, SNS and
# DynamoDB) plus CloudTrail modules. Planned offline by bench/make-base-plan.sh into
# bench/base-plan.json (two tenants); bench/compare.ts scales it to 1k, 10k and 50k resource
# instances by copying the tenant module instance under new keys, so every byte is Terraform's.
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  # Zero-padded keys: Terraform orders module instances by address, and copies keep that order.
  tenants = toset(["tn000000", "tn000001"])
}

module "trail" {
  source   = "./modules/trail"
  for_each = toset(["management", "ses-data"])

  name           = "org-${each.key}"
  retention_days = 400
}

module "tenant" {
  source   = "./modules/tenant"
  for_each = local.tenants

  tenant         = each.key
  retention_days = 400
}
