package sescheck.rules.firehose.fh_001_test

import data.sescheck.lib.posture_fixtures_test as fixtures
import data.sescheck.rules.firehose.fh_001 as check

base(id, overrides) := fixtures.with_kind_fields(id, object.union({"account": null, "region": "eu-west-1", "location": null, "unknown": {}}, overrides))

destination(overrides) := object.union(
	{
		"id": "aws_sesv2_configuration_set_event_destination.firehose", "name": "firehose", "enabled": true,
		"event_types": ["SEND"], "destination_type": "kinesis_firehose",
		"firehose_stream_arn": "arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses",
		"firehose_stream": "aws_kinesis_firehose_delivery_stream.ses",
		"sns_topic_arn": null, "location": {"file": "ses.tf", "line": 20}, "unknown": {},
	},
	overrides,
)

stream(overrides) := base("aws_kinesis_firehose_delivery_stream.ses", object.union(
	{
		"name": "ses", "arn": "arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses",
		"destination": "extended_s3", "s3_bucket_arn": "arn:aws:s3:::ses-events", "s3_bucket": null,
		"compression_format": "GZIP", "error_output_prefix": "errors/",
		"cloudwatch_logging": {"enabled": true, "log_group_name": "/aws/kinesisfirehose/ses", "log_group": null},
	},
	overrides,
))

posture(destinations, streams) := {
	"configuration_sets": [base("aws_sesv2_configuration_set.main", {"name": "main", "event_destinations": destinations})],
	"firehose_streams": streams,
}

only(findings) := finding if {
	count(findings) == 1
	some finding in findings
}

test_compliant_stream_passes if {
	count(check.findings) == 0 with input as posture([destination({})], [stream({})])
	check.checked == {{"resource": "aws_kinesis_firehose_delivery_stream.ses", "region": "eu-west-1", "account": null, "location": null}} with input as posture([destination({})], [stream({})])
}

test_every_missing_item_is_named if {
	bad := stream({
		"destination": "http_endpoint", "compression_format": "UNCOMPRESSED", "error_output_prefix": null,
		"cloudwatch_logging": {"enabled": false, "log_group_name": null, "log_group": null},
	})
	finding := only(check.findings) with input as posture([destination({})], [bad])
	finding.status == "fail"
	finding.rule_id == "FH-001"
	contains(finding.message, "used by event destination firehose of configuration set main")
	contains(finding.message, "delivers to http_endpoint, not S3")
	contains(finding.message, "does not compress (compression_format UNCOMPRESSED)")
	contains(finding.message, "has no error output prefix")
	contains(finding.message, "does not log delivery errors to CloudWatch Logs")
}

test_compression_not_set_is_uncompressed if {
	finding := only(check.findings) with input as posture([destination({})], [stream({"compression_format": null})])
	finding.status == "fail"
	contains(finding.message, "not set, UNCOMPRESSED")
}

test_empty_error_output_prefix_fails if {
	finding := only(check.findings) with input as posture([destination({})], [stream({"error_output_prefix": ""})])
	finding.status == "fail"
	contains(finding.message, "no error output prefix")
}

test_legacy_s3_destination_passes if {
	count(check.findings) == 0 with input as posture([destination({})], [stream({"destination": "s3"})])
}

test_unknown_compression_is_unknown if {
	unknown := stream({"compression_format": null, "unknown": {"compression_format": "variable var.compression has no value"}})
	finding := only(check.findings) with input as posture([destination({})], [unknown])
	finding.status == "unknown"
	contains(finding.message, "compression_format is unknown (variable var.compression has no value)")
}

test_unknown_logging_beside_a_failure_fails_and_mentions_it if {
	mixed := stream({
		"error_output_prefix": null,
		"cloudwatch_logging": {"enabled": null, "log_group_name": null, "log_group": null},
		"unknown": {"cloudwatch_logging.enabled": "known only after apply"},
	})
	finding := only(check.findings) with input as posture([destination({})], [mixed])
	finding.status == "fail"
	contains(finding.message, "also unknown: cloudwatch_logging.enabled is unknown (known only after apply)")
}

test_stream_not_in_input_is_unknown if {
	finding := only(check.findings) with input as posture([destination({"firehose_stream": null})], [])
	finding.status == "unknown"
	finding.resource == "aws_sesv2_configuration_set.main"
	finding.location == {"file": "ses.tf", "line": 20}
	contains(finding.message, "is not in the input (arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses)")
}

test_unknown_stream_is_unknown if {
	unknown := destination({"firehose_stream": null, "firehose_stream_arn": null, "unknown": {"firehose_stream_arn": "var.stream"}})
	finding := only(check.findings) with input as posture([unknown], [])
	finding.status == "unknown"
	contains(finding.message, "is unknown (var.stream)")
}

test_streams_not_used_by_ses_are_not_judged if {
	other := stream({"id": "aws_kinesis_firehose_delivery_stream.other", "compression_format": null})
	sns := destination({"destination_type": "sns", "firehose_stream": null, "firehose_stream_arn": null})
	count(check.findings) == 0 with input as posture([sns], [other])
	count(check.checked) == 0 with input as posture([sns], [other])
}

test_record_format_conversion_compresses_itself if {
	converted := stream({"compression_format": "UNCOMPRESSED", "format_conversion": true})
	count(check.findings) == 0 with input as posture([destination({})], [converted])
	plain := stream({"compression_format": "UNCOMPRESSED", "format_conversion": false})
	finding := only(check.findings) with input as posture([destination({})], [plain])
	finding.status == "fail"
	contains(finding.message, "does not compress (compression_format UNCOMPRESSED)")
}

test_unknown_format_conversion_of_an_uncompressed_stream_is_unknown if {
	maybe := stream({"compression_format": "UNCOMPRESSED", "format_conversion": null, "unknown": {"format_conversion": "known only after apply"}})
	finding := only(check.findings) with input as posture([destination({})], [maybe])
	finding.status == "unknown"
	contains(finding.message, "record format conversion")
}

test_missing_stream_fails_naming_it if {
	gone := stream({
		"exists": false, "destination": null, "compression_format": null, "error_output_prefix": null,
		"cloudwatch_logging": {"enabled": null, "log_group_name": null, "log_group": null},
	})
	finding := only(check.findings) with input as posture([destination({})], [gone])
	finding.status == "fail"
	finding.message == "Firehose stream ses (used by event destination firehose of configuration set main) does not exist; SES cannot deliver events to it"
}

test_stream_whose_bucket_does_not_exist_fails if {
	gone := base("arn:aws:s3:::ses-events", {"name": "ses-events", "arn": "arn:aws:s3:::ses-events", "lifecycle_rules": [], "public_access_block": null, "public_access_block_source": null, "exists": false})
	linked := stream({"s3_bucket": "arn:aws:s3:::ses-events"})
	finding := only(check.findings) with input as object.union(posture([destination({})], [linked]), {"s3_buckets": [gone]})
	finding.status == "fail"
	contains(finding.message, "delivers to S3 bucket ses-events, which does not exist")
}
