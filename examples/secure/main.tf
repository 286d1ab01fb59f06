# A compliant SES logging setup after the reference architecture: every sescheck rule passes.
# plan.json beside this file is `terraform show -json` of its plan (see examples/README.md).
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

locals {
  log_retention_days = 400
}

# The sending identity logs through its default configuration set.
resource "aws_sesv2_email_identity" "marketing" {
  email_identity         = "marketing.example.com"
  configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name
}

resource "aws_sesv2_configuration_set" "main" {
  configuration_set_name = "main"

  delivery_options {
    tls_policy = "REQUIRE"
  }
}

resource "aws_sesv2_configuration_set_event_destination" "firehose" {
  configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name
  event_destination_name = "to-firehose"

  event_destination {
    enabled = true
    matching_event_types = [
      "SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY",
      "RENDERING_FAILURE", "DELIVERY_DELAY", "SUBSCRIPTION",
    ]

    kinesis_firehose_destination {
      delivery_stream_arn = aws_kinesis_firehose_delivery_stream.ses_events.arn
      iam_role_arn        = aws_iam_role.ses_to_firehose.arn
    }
  }
}

resource "aws_iam_role" "ses_to_firehose" {
  name = "ses-to-firehose"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ses.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role" "firehose_to_s3" {
  name = "firehose-to-s3"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "firehose.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_kinesis_firehose_delivery_stream" "ses_events" {
  name        = "ses-events"
  destination = "extended_s3"

  extended_s3_configuration {
    role_arn            = aws_iam_role.firehose_to_s3.arn
    bucket_arn          = aws_s3_bucket.ses_events.arn
    compression_format  = "GZIP"
    buffering_interval  = 300
    buffering_size      = 128
    prefix              = "partitioned/!{timestamp:yyyy/MM/dd}/"
    error_output_prefix = "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/"

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.firehose_errors.name
      log_stream_name = "DestinationDelivery"
    }
  }
}

resource "aws_s3_bucket" "ses_events" {
  bucket = "example-ses-events"
}

resource "aws_s3_bucket_lifecycle_configuration" "ses_events" {
  bucket = aws_s3_bucket.ses_events.id

  rule {
    id     = "expire-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = local.log_retention_days
    }
  }
}

resource "aws_s3_bucket_public_access_block" "ses_events" {
  bucket                  = aws_s3_bucket.ses_events.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_cloudwatch_log_group" "firehose_errors" {
  name              = "/aws/kinesisfirehose/ses-events"
  retention_in_days = local.log_retention_days
}

# A multi-region trail that records SES sends (all three resource types) and management events.
resource "aws_kms_key" "trail" {
  description         = "CloudTrail log encryption"
  enable_key_rotation = true
}

resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = aws_s3_bucket.trail_logs.id
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_logging                = true
  enable_log_file_validation    = true
  kms_key_id                    = aws_kms_key.trail.arn

  advanced_event_selector {
    name = "SES identity sends"

    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }

    field_selector {
      field  = "resources.type"
      equals = ["AWS::SES::EmailIdentity"]
    }
  }

  advanced_event_selector {
    name = "SES configuration set sends"

    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }

    field_selector {
      field  = "resources.type"
      equals = ["AWS::SES::ConfigurationSet"]
    }
  }

  advanced_event_selector {
    name = "SES template sends"

    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }

    field_selector {
      field  = "resources.type"
      equals = ["AWS::SES::Template"]
    }
  }

  advanced_event_selector {
    name = "Management events"

    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }
}

resource "aws_s3_bucket" "trail_logs" {
  bucket = "example-cloudtrail-logs"
}

resource "aws_s3_bucket_lifecycle_configuration" "trail_logs" {
  bucket = aws_s3_bucket.trail_logs.id

  rule {
    id     = "expire-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = local.log_retention_days
    }
  }
}

resource "aws_s3_bucket_public_access_block" "trail_logs" {
  bucket                  = aws_s3_bucket.trail_logs.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
