# One SES tenant: a configuration set publishing every event type to Firehose, which delivers to
# a bucket with a lifecycle and logs its errors to a log group; two sending identities with bounce
# and complaint topics; an SQS queue fed by the feedback topic; a DynamoDB table of suppressions.
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "tenant" { type = string }
variable "retention_days" { type = number }

resource "aws_sesv2_configuration_set" "this" {
  configuration_set_name = "${var.tenant}-logging"
  delivery_options {
    tls_policy = "REQUIRE"
  }
  reputation_options {
    reputation_metrics_enabled = true
  }
}

resource "aws_sesv2_configuration_set_event_destination" "firehose" {
  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name
  event_destination_name = "firehose"

  event_destination {
    enabled              = true
    matching_event_types = ["SEND", "DELIVERY", "REJECT", "BOUNCE", "COMPLAINT", "RENDERING_FAILURE", "DELIVERY_DELAY", "SUBSCRIPTION"]
    kinesis_firehose_destination {
      delivery_stream_arn = aws_kinesis_firehose_delivery_stream.events.arn
      iam_role_arn        = aws_iam_role.ses_firehose.arn
    }
  }
}

resource "aws_iam_role" "ses_firehose" {
  name = "${var.tenant}-ses-to-firehose"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "ses.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "ses_firehose" {
  name = "put-records"
  role = aws_iam_role.ses_firehose.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["firehose:PutRecord", "firehose:PutRecordBatch"], Resource = aws_kinesis_firehose_delivery_stream.events.arn }]
  })
}

resource "aws_sesv2_email_identity" "domain" {
  for_each               = toset(["mail", "news"])
  email_identity         = "${each.key}.${var.tenant}.example.com"
  configuration_set_name = aws_sesv2_configuration_set.this.configuration_set_name
}

resource "aws_ses_identity_notification_topic" "bounce" {
  for_each                 = aws_sesv2_email_identity.domain
  identity                 = each.value.email_identity
  notification_type        = "Bounce"
  topic_arn                = aws_sns_topic.feedback.arn
  include_original_headers = true
}

resource "aws_ses_identity_notification_topic" "complaint" {
  for_each                 = aws_sesv2_email_identity.domain
  identity                 = each.value.email_identity
  notification_type        = "Complaint"
  topic_arn                = aws_sns_topic.feedback.arn
  include_original_headers = true
}

resource "aws_sns_topic" "feedback" {
  name = "${var.tenant}-ses-feedback"
}

resource "aws_sqs_queue" "feedback" {
  name                      = "${var.tenant}-ses-feedback"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue_policy" "feedback" {
  queue_url = aws_sqs_queue.feedback.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "sns.amazonaws.com" }, Action = "sqs:SendMessage", Resource = aws_sqs_queue.feedback.arn, Condition = { ArnEquals = { "aws:SourceArn" = aws_sns_topic.feedback.arn } } }]
  })
}

resource "aws_sns_topic_subscription" "feedback" {
  topic_arn = aws_sns_topic.feedback.arn
  protocol  = "sqs"
  endpoint  = aws_sqs_queue.feedback.arn
}

resource "aws_dynamodb_table" "suppressions" {
  name         = "${var.tenant}-suppressions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "address"
  attribute {
    name = "address"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_s3_bucket" "events" {
  bucket = "acme-${var.tenant}-ses-events"
}

resource "aws_s3_bucket_public_access_block" "events" {
  bucket                  = aws_s3_bucket.events.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "events" {
  bucket = aws_s3_bucket.events.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "events" {
  bucket = aws_s3_bucket.events.id
  rule {
    id     = "expire-ses-events"
    status = "Enabled"
    filter {
      prefix = ""
    }
    expiration {
      days = var.retention_days
    }
  }
}

resource "aws_cloudwatch_log_group" "firehose_errors" {
  name              = "/aws/kinesisfirehose/${var.tenant}-ses-events"
  retention_in_days = var.retention_days
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/app/${var.tenant}/mailer"
  retention_in_days = 30
}

resource "aws_iam_role" "firehose" {
  name = "${var.tenant}-ses-events-firehose"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Action = "sts:AssumeRole", Effect = "Allow", Principal = { Service = "firehose.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "firehose" {
  name = "deliver"
  role = aws_iam_role.firehose.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:PutObject", "s3:GetBucketLocation", "s3:ListBucket"], Resource = [aws_s3_bucket.events.arn, "${aws_s3_bucket.events.arn}/*"] },
      { Effect = "Allow", Action = ["logs:PutLogEvents"], Resource = "${aws_cloudwatch_log_group.firehose_errors.arn}:*" },
    ]
  })
}

resource "aws_kinesis_firehose_delivery_stream" "events" {
  name        = "${var.tenant}-ses-events"
  destination = "extended_s3"

  extended_s3_configuration {
    role_arn            = aws_iam_role.firehose.arn
    bucket_arn          = aws_s3_bucket.events.arn
    compression_format  = "GZIP"
    buffering_interval  = 300
    buffering_size      = 128
    prefix              = "events/!{timestamp:yyyy/MM/dd}/"
    error_output_prefix = "errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/"

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.firehose_errors.name
      log_stream_name = "DestinationDelivery"
    }
  }
}
