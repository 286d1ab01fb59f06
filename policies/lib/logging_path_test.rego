package sescheck.lib.logging_path_test

import data.sescheck.lib.logging_path
import data.sescheck.lib.posture_fixtures_test as fixtures

base(id, overrides) := fixtures.with_kind_fields(id, object.union({"account": null, "region": "eu-west-1", "location": null, "unknown": {}}, overrides))

trail := base("aws_cloudtrail.main", {
	"kind": "trail", "name": "main", "s3_bucket_name": "trail-logs", "s3_bucket": "aws_s3_bucket.trail",
	"log_group_arn": "arn:aws:logs:eu-west-1:111122223333:log-group:trail:*", "log_group": null,
})

configuration_set := base("aws_sesv2_configuration_set.main", {"name": "main", "event_destinations": [{
	"id": "aws_sesv2_configuration_set_event_destination.firehose", "name": "firehose", "enabled": true,
	"event_types": ["SEND"], "destination_type": "kinesis_firehose",
	"firehose_stream_arn": null, "firehose_stream": "aws_kinesis_firehose_delivery_stream.ses",
	"sns_topic_arn": null, "location": null, "unknown": {"firehose_stream_arn": "known only after apply"},
}]})

stream := base("aws_kinesis_firehose_delivery_stream.ses", {
	"name": "ses-events", "s3_bucket_arn": "arn:aws:s3:::ses-events", "s3_bucket": null,
	"cloudwatch_logging": {"enabled": true, "log_group_name": "/aws/kinesisfirehose/ses", "log_group": "aws_cloudwatch_log_group.firehose"},
})

source := base("aws_cloudwatch_log_delivery_source.auth", {
	"name": "workmail-auth", "resource_arn": "arn:aws:workmail:eu-west-1:111122223333:organization/m-1", "log_type": "AUTHENTICATION_LOGS",
})

delivery := base("aws_cloudwatch_log_delivery.auth", {
	"delivery_source_name": "workmail-auth", "delivery_source": null,
	"delivery_destination_arn": "arn:aws:logs:eu-west-1:111122223333:delivery-destination:wm", "delivery_destination": null,
})

destination := base("aws_cloudwatch_log_delivery_destination.wm", {
	"name": "wm", "arn": "arn:aws:logs:eu-west-1:111122223333:delivery-destination:wm", "destination_type": "cwl",
	"destination_resource_arn": "arn:aws:logs:eu-west-1:111122223333:log-group:workmail", "target": "aws_cloudwatch_log_group.workmail",
})

posture := {
	"trails": [trail],
	"configuration_sets": [configuration_set],
	"firehose_streams": [stream],
	"s3_buckets": [base("aws_s3_bucket.trail", {"name": "trail-logs"}), base("aws_s3_bucket.other", {"name": "other"})],
	"log_groups": [
		base("aws_cloudwatch_log_group.firehose", {"name": "/aws/kinesisfirehose/ses"}),
		base("aws_cloudwatch_log_group.workmail", {"name": "workmail"}),
		base("aws_cloudwatch_log_group.app", {"name": "app"}),
	],
	"delivery_sources": [source],
	"deliveries": [delivery],
	"delivery_destinations": [destination],
}

ids(objects) := {subject.id | some subject in objects}

test_members_are_only_the_logging_path if {
	ids(logging_path.members("s3_bucket")) == {"aws_s3_bucket.trail"} with input as posture
	ids(logging_path.members("log_group")) == {"aws_cloudwatch_log_group.firehose", "aws_cloudwatch_log_group.workmail"} with input as posture
	ids(logging_path.members("firehose_stream")) == {"aws_kinesis_firehose_delivery_stream.ses"} with input as posture
}

test_why_says_what_the_member_receives if {
	logging_path.why("s3_bucket", {"id": "aws_s3_bucket.trail"}) == "receives CloudTrail logs of trail main" with input as posture
	why_firehose := logging_path.why("log_group", {"id": "aws_cloudwatch_log_group.firehose"}) with input as posture
	why_firehose == "receives the error logs of Firehose stream ses-events, which carries SES events of configuration set main via event destination firehose"
	why_workmail := logging_path.why("log_group", {"id": "aws_cloudwatch_log_group.workmail"}) with input as posture
	why_workmail == "receives WorkMail AUTHENTICATION_LOGS of organization arn:aws:workmail:eu-west-1:111122223333:organization/m-1 via delivery aws_cloudwatch_log_delivery.auth"
}

test_absent_members_are_named_by_name_with_arn_parts if {
	absent_buckets := logging_path.absent("s3_bucket") with input as posture
	absent_buckets["ses-events"].why == "receives SES events of configuration set main via event destination firehose through Firehose stream ses-events"
	absent_buckets["ses-events"].subject.id == "ses-events"
	absent_groups := logging_path.absent("log_group") with input as posture
	absent_groups.trail.subject.region == "eu-west-1"
	absent_groups.trail.subject.account == "111122223333"
	absent_groups.trail.why == "receives CloudTrail logs of trail main"
}

test_disabled_firehose_error_logging_is_not_in_the_path if {
	quiet := object.union(stream, {"cloudwatch_logging": {"enabled": false, "log_group_name": "/aws/kinesisfirehose/ses", "log_group": "aws_cloudwatch_log_group.firehose"}})
	groups := logging_path.members("log_group") with input as object.union(posture, {"firehose_streams": [quiet]})
	ids(groups) == {"aws_cloudwatch_log_group.workmail"}
}

test_unknown_link_is_unresolved if {
	unknown_trail := object.union(trail, {"s3_bucket_name": null, "s3_bucket": null, "unknown": {"s3_bucket_name": "variable var.bucket has no value"}})
	unresolved := logging_path.unresolved("s3_bucket") with input as object.union(posture, {"trails": [unknown_trail]})
	some entry in unresolved
	entry.subject.id == "aws_cloudtrail.main"
	entry.unknown == "variable var.bucket has no value"
}

test_delivery_destination_not_in_input_is_of_unknown_kind if {
	absent := logging_path.absent("unknown") with input as object.union(posture, {"delivery_destinations": []})
	absent["arn:aws:logs:eu-west-1:111122223333:delivery-destination:wm"].why != ""
}

test_workmail_source_with_unknown_organization_counts if {
	unknown_source := object.union(source, {"resource_arn": null, "unknown": {"resource_arn": "var.organization_arn"}})
	groups := logging_path.members("log_group") with input as object.union(posture, {"delivery_sources": [unknown_source]})
	"aws_cloudwatch_log_group.workmail" in ids(groups)
}

test_other_vended_logs_are_not_in_the_path if {
	other := object.union(source, {"resource_arn": "arn:aws:bedrock:eu-west-1:111122223333:knowledge-base/x", "log_type": "APPLICATION_LOGS"})
	groups := logging_path.members("log_group") with input as object.union(posture, {"delivery_sources": [other]})
	not "aws_cloudwatch_log_group.workmail" in ids(groups)
}

test_storage_names_from_arns if {
	logging_path.storage_name("s3_bucket", "arn:aws:s3:::my-logs") == "my-logs"
	logging_path.storage_name("s3_bucket", "my-logs") == "my-logs"
	logging_path.storage_name("log_group", "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/x:*") == "/aws/x"
	logging_path.storage_name("firehose_stream", "arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses") == "ses"
}

test_destination_kind_from_its_arn_when_type_is_unknown if {
	untyped := object.union(destination, {"destination_type": null, "target": null, "destination_resource_arn": "arn:aws:firehose:eu-west-1:111122223333:deliverystream/wm"})
	absent := logging_path.absent("firehose_stream") with input as object.union(posture, {"delivery_destinations": [untyped]})
	absent.wm.subject.region == "eu-west-1"
}

test_destination_of_no_known_kind_is_unknown if {
	untyped := object.union(destination, {
		"destination_type": null, "target": null, "destination_resource_arn": null,
		"unknown": {"destination_type": "denied", "destination_resource_arn": "denied"},
	})
	unresolved := logging_path.unresolved("unknown") with input as object.union(posture, {"delivery_destinations": [untyped]})
	some entry in unresolved
	entry.unknown == "denied"
	entry.subject.id == "aws_cloudwatch_log_delivery_destination.wm"
}

# Repeated ids (not schema-valid) fall back to a scan and give the same members and reasons.
test_repeated_ids_give_the_same_answers if {
	repeated := object.union(posture, {"firehose_streams": array.concat(posture.firehose_streams, posture.firehose_streams)})
	ids(logging_path.members("log_group")) == {"aws_cloudwatch_log_group.firehose", "aws_cloudwatch_log_group.workmail"} with input as repeated
	count(logging_path.with_id("firehose_stream", "aws_kinesis_firehose_delivery_stream.ses")) == 2 with input as repeated
	count(logging_path.with_id("firehose_stream", "aws_kinesis_firehose_delivery_stream.ses")) == 1 with input as posture
	count(logging_path.with_id("firehose_stream", null)) == 0 with input as repeated
	why_firehose := logging_path.why("log_group", {"id": "aws_cloudwatch_log_group.firehose"}) with input as repeated
	why_firehose == "receives the error logs of Firehose stream ses-events, which carries SES events of configuration set main via event destination firehose"
}

# One member reached by several links: each reason once, sorted, joined.
test_why_joins_every_reason_of_a_member if {
	second := object.union(trail, {"id": "aws_cloudtrail.second", "name": "second"})
	why := logging_path.why("s3_bucket", {"id": "aws_s3_bucket.trail"}) with input as object.union(posture, {"trails": [trail, second]})
	why == "receives CloudTrail logs of trail main; receives CloudTrail logs of trail second"
	logging_path.why("s3_bucket", {"id": "aws_s3_bucket.other"}) == "" with input as posture
}

# What a live scan reads next: only the storage the path names and the input lacks, found by name
# or ARN, never the storage of a delivery from another service.
test_a_live_scan_reads_the_storage_the_path_names_and_the_input_lacks if {
	other_source := base("cdn", {"name": "cdn", "resource_arn": "arn:aws:cloudfront::111122223333:distribution/E1", "log_type": "ACCESS_LOGS"})
	other_delivery := base("cdn-delivery", {
		"delivery_source_name": "cdn", "delivery_source": null,
		"delivery_destination_arn": "arn:aws:logs:eu-west-1:111122223333:delivery-destination:cdn", "delivery_destination": null,
	})
	other_destination := base("cdn-destination", {
		"name": "cdn", "arn": "arn:aws:logs:eu-west-1:111122223333:delivery-destination:cdn", "destination_type": "s3",
		"destination_resource_arn": "arn:aws:s3:::cdn-logs", "target": null,
	})

	# A destination type sescheck does not know: the ARN names a bucket, under a key prefix.
	unknown_type := object.union(destination, {"destination_type": null, "destination_resource_arn": "arn:aws:s3:::workmail-audit/mail", "target": null})
	lacking := object.union(posture, {
		"firehose_streams": [],
		"log_groups": [],
		"delivery_sources": [source, other_source],
		"deliveries": [delivery, other_delivery],
		"delivery_destinations": [unknown_type, other_destination],
	})
	logging_path.to_read == {
		{"kind": "s3_bucket", "name": "workmail-audit", "region": "eu-west-1", "raw": "arn:aws:s3:::workmail-audit/mail", "named_by": "delivery destination wm"},
		{"kind": "log_group", "name": "trail", "region": "eu-west-1", "raw": "arn:aws:logs:eu-west-1:111122223333:log-group:trail:*", "named_by": "trail main"},
	} with input as lacking
}

words := {
	"storage": "bucket", "a_storage": "an S3 bucket", "settings": "its lifecycle rules", "verdict": "its expiration",
	"through_stream": "the bucket it delivers to",
}

test_what_a_storage_rule_cannot_judge_is_said_for_each_way_it_is_out_of_sight if {
	hidden := base("aws_cloudtrail.hidden", {
		"kind": "trail", "name": "hidden", "s3_bucket_name": null, "s3_bucket": null, "log_group_arn": null, "log_group": null,
		"unknown": {"s3_bucket_name": "variable var.bucket has no value"},
	})
	elsewhere := object.union(configuration_set, {"event_destinations": [object.union(configuration_set.event_destinations[0], {
		"firehose_stream_arn": "arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses", "firehose_stream": null, "unknown": {},
	})]})
	out_of_sight := object.union(posture, {
		"trails": [trail, hidden],
		"configuration_sets": [elsewhere],
		"s3_buckets": [],
		"delivery_destinations": [],
	})
	{entry.message | some entry in logging_path.unjudged("s3_bucket", words)} == {
		"bucket trail-logs receives CloudTrail logs of trail main but is not in the input; its lifecycle rules cannot be judged",
		"Firehose stream ses receives SES events of configuration set main via event destination firehose but is not in the input; the bucket it delivers to cannot be judged",
		"log destination arn:aws:logs:eu-west-1:111122223333:delivery-destination:wm receives WorkMail AUTHENTICATION_LOGS of organization arn:aws:workmail:eu-west-1:111122223333:organization/m-1 via delivery aws_cloudwatch_log_delivery.auth but is not in the input; cannot tell whether it is an S3 bucket, nor judge its expiration",
		"the log destination that receives CloudTrail logs of trail hidden is unknown (variable var.bucket has no value); its expiration cannot be judged",
	} with input as out_of_sight
}

test_a_link_that_reaches_nothing_says_why if {
	fields := ["firehose_stream_arn", "firehose_stream"]
	linked := {"firehose_stream_arn": null, "firehose_stream": "aws_kinesis_firehose_delivery_stream.ses", "unknown": {}}
	not logging_path.unreached("firehose_stream", linked, fields) with input as posture
	named := {"firehose_stream_arn": "arn:aws:firehose:eu-west-1:111122223333:deliverystream/x", "firehose_stream": null, "unknown": {}}
	logging_path.unreached("firehose_stream", named, fields) == "is not in the input (arn:aws:firehose:eu-west-1:111122223333:deliverystream/x)" with input as posture
	unknown := {"firehose_stream_arn": null, "firehose_stream": null, "unknown": {"firehose_stream_arn": "known only after apply"}}
	logging_path.unreached("firehose_stream", unknown, fields) == "is unknown (known only after apply)" with input as posture
	logging_path.unreached("firehose_stream", {"firehose_stream_arn": null, "firehose_stream": null}, fields) == "is not named" with input as posture
}
