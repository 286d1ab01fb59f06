package sescheck.rules.retention.rt_001_test

import data.sescheck.rules.retention.rt_001 as check

base(id, overrides) := object.union({"id": id, "account": null, "region": "eu-west-1", "location": null, "unknown": {}}, overrides)

trail := base("aws_cloudtrail.main", {
	"kind": "trail", "name": "main", "s3_bucket_name": "trail-logs", "s3_bucket": "aws_s3_bucket.trail",
	"log_group_arn": null, "log_group": null, "location": {"file": "main.tf", "line": 3},
})

rule(overrides) := object.union({"id": "expire", "enabled": true, "prefix": null, "expiration_days": 400, "unknown": {}}, overrides)

bucket(rules) := base("aws_s3_bucket.trail", {"name": "trail-logs", "lifecycle_rules": rules})

posture(rules) := {"trails": [trail], "s3_buckets": [bucket(rules), base("aws_s3_bucket.other", {"name": "other", "lifecycle_rules": []})]}

only(findings) := finding if {
	count(findings) == 1
	some finding in findings
}

test_whole_bucket_expiration_within_bounds_passes if {
	count(check.findings) == 0 with input as posture([rule({})])
	check.checked == {{"resource": "aws_s3_bucket.trail", "region": "eu-west-1", "account": null, "location": null}} with input as posture([rule({})])
}

test_empty_prefix_is_whole_bucket if {
	count(check.findings) == 0 with input as posture([rule({"prefix": ""})])
}

test_exactly_min_and_max_pass if {
	count(check.findings) == 0 with input as posture([rule({"expiration_days": 35})])
	count(check.findings) == 0 with input as posture([rule({"expiration_days": 540})])
}

test_below_min_fails if {
	finding := only(check.findings) with input as posture([rule({"expiration_days": 34})])
	finding.status == "fail"
	finding.rule_id == "RT-001"
	finding.resource == "aws_s3_bucket.trail"
	finding.message == "bucket trail-logs (receives CloudTrail logs of trail main) expires its objects after 34 days (lifecycle rule \"expire\"), fewer than the 35-day minimum"
}

test_above_max_fails if {
	finding := only(check.findings) with input as posture([rule({"expiration_days": 541})])
	finding.status == "fail"
	contains(finding.message, "after 541 days")
	contains(finding.message, "more than the 540-day maximum")
}

test_shortest_whole_bucket_expiration_counts if {
	finding := only(check.findings) with input as posture([rule({}), rule({"id": null, "expiration_days": 20})])
	finding.status == "fail"
	contains(finding.message, "after 20 days (lifecycle rule #2)")
	count(check.findings) == 0 with input as posture([rule({"expiration_days": 1000}), rule({"id": "b", "expiration_days": 90})])
}

test_no_expiration_is_unbounded if {
	finding := only(check.findings) with input as posture([])
	finding.status == "fail"
	contains(finding.message, "unbounded retention")
}

test_no_expiration_passes_without_max if {
	count(check.findings) == 0 with input as posture([]) with data.settings.retention.max_days as null
	count(check.findings) == 0 with input as posture([rule({"expiration_days": 5000})]) with data.settings.retention.max_days as null
}

test_disabled_or_non_expiring_rules_do_not_count if {
	finding := only(check.findings) with input as posture([rule({"enabled": false}), rule({"id": "x", "expiration_days": null})])
	contains(finding.message, "unbounded retention")
}

test_prefixed_rule_alone_is_unknown if {
	finding := only(check.findings) with input as posture([rule({"prefix": "AWSLogs/"})])
	finding.status == "unknown"
	contains(finding.message, "rule \"expire\" expires only objects under prefix \"AWSLogs/\" (after 400 days); cannot tell whether the logs are under it")
}

test_prefixed_rules_out_of_bounds_fail_either_way if {
	finding := only(check.findings) with input as posture([rule({"prefix": "AWSLogs/", "expiration_days": 7})])
	finding.status == "fail"
	contains(finding.message, "prefix \"AWSLogs/\", 7 days")
}

test_enabled_null_is_unknown if {
	finding := only(check.findings) with input as posture([rule({"enabled": null, "unknown": {"enabled": "var.status"}})])
	finding.status == "unknown"
	contains(finding.message, "status is unknown (var.status)")
}

test_unknown_days_beside_a_good_rule_is_unknown if {
	finding := only(check.findings) with input as posture([rule({}), rule({"id": "x", "expiration_days": null, "unknown": {"expiration_days": "known only after apply"}})])
	finding.status == "unknown"
	contains(finding.message, "known only after apply")
}

test_uncertain_rule_that_cannot_change_the_verdict_is_ignored if {
	count(check.findings) == 0 with input as posture([rule({}), rule({"id": "x", "enabled": null, "expiration_days": 90, "unknown": {"enabled": "var.on"}})])
	finding := only(check.findings) with input as posture([rule({"expiration_days": 20}), rule({"id": "x", "enabled": null, "unknown": {"enabled": "var.on"}})])
	finding.status == "fail"
}

test_unknown_lifecycle_is_unknown if {
	unknown_bucket := object.union(bucket([]), {"unknown": {"lifecycle_rules": "AccessDenied on s3:GetBucketLifecycleConfiguration"}})
	finding := only(check.findings) with input as {"trails": [trail], "s3_buckets": [unknown_bucket]}
	finding.status == "unknown"
	contains(finding.message, "AccessDenied")
}

test_buckets_outside_the_path_are_not_judged if {
	count(check.findings) == 0 with input as {"trails": [], "s3_buckets": [bucket([])]}
	count(check.checked) == 0 with input as {"trails": [], "s3_buckets": [bucket([])]}
}

test_trail_bucket_not_in_input_is_unknown if {
	external := object.union(trail, {"s3_bucket_name": "my-logs", "s3_bucket": null})
	finding := only(check.findings) with input as {"trails": [external], "s3_buckets": []}
	finding.status == "unknown"
	finding.resource == "my-logs"
	finding.location == {"file": "main.tf", "line": 3}
	finding.message == "bucket my-logs receives CloudTrail logs of trail main but is not in the input; its lifecycle rules cannot be judged"
}

test_unknown_trail_bucket_is_unknown if {
	unknown_trail := object.union(trail, {"s3_bucket_name": null, "s3_bucket": null, "unknown": {"s3_bucket_name": "variable var.bucket has no value"}})
	finding := only(check.findings) with input as {"trails": [unknown_trail], "s3_buckets": []}
	finding.status == "unknown"
	finding.resource == "aws_cloudtrail.main"
	contains(finding.message, "var.bucket")
}

ses_posture(rules) := {
	"configuration_sets": [base("aws_sesv2_configuration_set.main", {"name": "main", "event_destinations": [{
		"id": "aws_sesv2_configuration_set_event_destination.firehose", "name": "firehose", "enabled": true,
		"event_types": ["SEND"], "destination_type": "kinesis_firehose",
		"firehose_stream_arn": "arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses", "firehose_stream": "aws_kinesis_firehose_delivery_stream.ses",
		"sns_topic_arn": null, "location": null, "unknown": {},
	}]})],
	"firehose_streams": [base("aws_kinesis_firehose_delivery_stream.ses", {
		"name": "ses", "s3_bucket_arn": null, "s3_bucket": "aws_s3_bucket.ses", "unknown": {"s3_bucket_arn": "known only after apply"},
		"cloudwatch_logging": {"enabled": true, "log_group_name": null, "log_group": null},
	})],
	"s3_buckets": [base("aws_s3_bucket.ses", {"name": null, "unknown": {"name": "known only after apply"}, "lifecycle_rules": rules})],
}

test_ses_event_bucket_through_firehose_is_judged if {
	count(check.findings) == 0 with input as ses_posture([rule({})])
	finding := only(check.findings) with input as ses_posture([])
	finding.status == "fail"
	finding.resource == "aws_s3_bucket.ses"
	contains(finding.message, "receives SES events of configuration set main via event destination firehose through Firehose stream ses")
}

workmail_posture(rules) := {
	"delivery_sources": [base("aws_cloudwatch_log_delivery_source.auth", {
		"name": "auth", "resource_arn": "arn:aws:workmail:eu-west-1:111122223333:organization/m-1", "log_type": "AUTHENTICATION_LOGS",
	})],
	"deliveries": [base("aws_cloudwatch_log_delivery.auth", {
		"delivery_source_name": "auth", "delivery_source": "aws_cloudwatch_log_delivery_source.auth",
		"delivery_destination_arn": null, "delivery_destination": "aws_cloudwatch_log_delivery_destination.s3",
	})],
	"delivery_destinations": [base("aws_cloudwatch_log_delivery_destination.s3", {
		"name": "s3", "arn": null, "destination_type": "s3", "destination_resource_arn": "arn:aws:s3:::workmail-audit", "target": "aws_s3_bucket.workmail",
	})],
	"s3_buckets": [base("aws_s3_bucket.workmail", {"name": "workmail-audit", "lifecycle_rules": rules})],
}

test_workmail_audit_bucket_is_judged if {
	count(check.findings) == 0 with input as workmail_posture([rule({})])
	finding := only(check.findings) with input as workmail_posture([rule({"expiration_days": 10})])
	finding.status == "fail"
	contains(finding.message, "receives WorkMail AUTHENTICATION_LOGS of organization arn:aws:workmail:eu-west-1:111122223333:organization/m-1")
}

test_workmail_bucket_not_in_input_is_unknown if {
	finding := only(check.findings) with input as object.union(workmail_posture([]), {"s3_buckets": []})
	finding.status == "unknown"
	finding.resource == "workmail-audit"
}

test_workmail_destination_not_in_input_is_unknown_of_either_kind if {
	posture := object.union(workmail_posture([]), {
		"delivery_destinations": [],
		"deliveries": [base("aws_cloudwatch_log_delivery.auth", {
			"delivery_source_name": "auth", "delivery_source": "aws_cloudwatch_log_delivery_source.auth",
			"delivery_destination_arn": "arn:aws:logs:eu-west-1:111122223333:delivery-destination:central", "delivery_destination": null,
		})],
	})
	finding := only(check.findings) with input as posture
	finding.status == "unknown"
	contains(finding.message, "cannot tell whether it is an S3 bucket")
}

test_tag_filtered_rule_is_not_whole_bucket if {
	tagged := rule({"unknown": {"filter": "the rule applies only to objects with given tags or sizes, which sescheck does not evaluate"}})
	finding := only(check.findings) with input as posture([tagged])
	finding.status == "unknown"
	contains(finding.message, "filter is not evaluated")
}

test_live_tag_filter_as_unknown_prefix if {
	tagged := rule({"unknown": {"prefix": "lifecycle rule expire filters by object tags or size"}})
	finding := only(check.findings) with input as posture([rule({"id": "all"}), object.union(tagged, {"expiration_days": 7})])
	finding.status == "unknown"
	contains(finding.message, "prefix is unknown")
}

test_ses_stream_not_in_input_leaves_its_bucket_unknown if {
	finding := only(check.findings) with input as object.union(ses_posture([]), {"firehose_streams": [], "s3_buckets": []})
	finding.status == "unknown"
	finding.resource == "ses"
	finding.region == "eu-west-1"
	finding.account == "111122223333"
	contains(finding.message, "Firehose stream ses receives SES events of configuration set main via event destination firehose but is not in the input; the bucket it delivers to cannot be judged")
}

test_prefixed_rule_of_unknown_status_is_unknown_not_unbounded if {
	finding := only(check.findings) with input as posture([rule({"prefix": "AWSLogs/", "enabled": null, "unknown": {"enabled": "var.status"}})])
	finding.status == "unknown"
	contains(finding.message, "prefix \"AWSLogs/\" (after 400 days, if enabled; its status is unknown: var.status)")
}

test_prefixed_rule_of_unknown_days_is_unknown if {
	finding := only(check.findings) with input as posture([rule({"prefix": "AWSLogs/", "expiration_days": null, "unknown": {"expiration_days": "var.days"}})])
	finding.status == "unknown"
	contains(finding.message, "after a number of days that is unknown: var.days")
}

# --- versioned buckets: expiration only hides the current version behind a delete marker ---

versioned(rules, versioning, unknown) := {"trails": [trail], "s3_buckets": [object.union(bucket(rules), {"versioning": versioning, "unknown": unknown})]}

test_versioned_bucket_without_noncurrent_expiration_fails if {
	finding := only(check.findings) with input as versioned([rule({})], "Enabled", {})
	finding.status == "fail"
	finding.message == "bucket trail-logs (receives CloudTrail logs of trail main) is versioned (Enabled): expiration only adds a delete marker and keeps every previous version of the logs, and no enabled whole-bucket rule has noncurrent_version_expiration"
}

test_suspended_versioning_keeps_old_versions_too if {
	finding := only(check.findings) with input as versioned([rule({})], "Suspended", {})
	contains(finding.message, "is versioned (Suspended)")
}

test_versioned_bucket_with_noncurrent_expiration_within_bounds_passes if {
	count(check.findings) == 0 with input as versioned([rule({"expiration_days": 400, "noncurrent_expiration_days": 30})], "Enabled", {})
}

test_versioned_bucket_keeping_versions_past_the_maximum_fails if {
	finding := only(check.findings) with input as versioned([rule({"expiration_days": 400, "noncurrent_expiration_days": 200})], "Enabled", {})
	finding.status == "fail"
	contains(finding.message, "keeps previous versions 200 days after they expire (lifecycle rule \"expire\"): 600 days in all, more than the 540-day maximum")
}

test_unversioned_bucket_needs_no_noncurrent_expiration if {
	count(check.findings) == 0 with input as versioned([rule({})], "Disabled", {})
}

test_unknown_versioning_is_unknown if {
	finding := only(check.findings) with input as versioned([rule({})], null, {"versioning": "known only after apply"})
	finding.status == "unknown"
	contains(finding.message, "whether it is versioned is unknown (known only after apply)")
}
