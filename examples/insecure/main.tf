# A non-compliant SES logging setup: what sescheck is meant to catch.
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

# Sending identities without a default configuration set: mail sent without naming a set is not logged.
resource "aws_sesv2_email_identity" "marketing" {
  email_identity = "marketing.example.com"
}

resource "aws_ses_domain_identity" "legacy" {
  domain = "legacy.example.com"
}

# TLS optional, and the event destination publishes sends and deliveries only.
resource "aws_sesv2_configuration_set" "main" {
  configuration_set_name = "main"

  delivery_options {
    tls_policy = "OPTIONAL"
  }
}

resource "aws_sesv2_configuration_set_event_destination" "firehose" {
  configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name
  event_destination_name = "to-firehose"

  event_destination {
    enabled              = true
    matching_event_types = ["SEND", "DELIVERY"]

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
    role_arn   = aws_iam_role.firehose_to_s3.arn
    bucket_arn = aws_s3_bucket.ses_events.arn

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.firehose_errors.name
      log_stream_name = "DestinationDelivery"
    }
  }
}

# Log storage without lifecycle expiration, and a log group that never expires.
resource "aws_s3_bucket" "ses_events" {
  bucket = "example-ses-events"
}

resource "aws_cloudwatch_log_group" "firehose_errors" {
  name = "/aws/kinesisfirehose/ses-events"
}

# The trail selects SES data events but only write events: sends are read-only, so none is recorded.
resource "aws_cloudtrail" "main" {
  name                          = "main"
  s3_bucket_name                = aws_s3_bucket.trail_logs.id
  is_multi_region_trail         = true
  include_global_service_events = true

  advanced_event_selector {
    name = "SES sends"

    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }

    field_selector {
      field  = "resources.type"
      equals = ["AWS::SES::EmailIdentity"]
    }

    field_selector {
      field  = "readOnly"
      equals = ["false"]
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
