package sescheck.rules.retention.rt_001_test

import data.sescheck.lib.posture_fixtures_test as fixtures
import data.sescheck.rules.retention.rt_001 as check

base(id, overrides) := fixtures.with_kind_fields(id, object.union({"account": null, "region": "eu-west-1", "location": null, "unknown": {}}, overrides))

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
	finding.message == "bucket trail-logs (receives CloudTrail logs of trail main) expires the log files of trail main after 34 days (lifecycle rule \"expire\"), fewer than the 35-day minimum"
}

test_above_max_fails if {
	finding := only(check.findings) with input as posture([rule({"expiration_days": 541})])
	finding.status == "fail"
	contains(finding.message, "keeps the log files of trail main 541 days (lifecycle rule \"expire\"), more than the 540-day maximum")
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

# A trail writes under <s3_key_prefix>/AWSLogs/<account>/: a rule on AWSLogs/ covers its logs.
test_rule_on_awslogs_covers_a_trail_without_prefix if {
	count(check.findings) == 0 with input as posture([rule({"prefix": "AWSLogs/"})])
	finding := only(check.findings) with input as posture([rule({"prefix": "AWSLogs/", "expiration_days": 7})])
	finding.status == "fail"
	contains(finding.message, "expires the log files of trail main after 7 days")
}

test_rule_that_cannot_meet_the_logs_is_ignored if {
	finding := only(check.findings) with input as posture([rule({"prefix": "Other/", "expiration_days": 7})])
	finding.status == "fail"
	finding.message == "bucket trail-logs (receives CloudTrail logs of trail main) has no enabled lifecycle rule that expires all of the log files of trail main (keys under \"AWSLogs/\"): unbounded retention (maximum 540 days)"
}

test_rule_naming_an_account_is_unknown_when_the_account_is if {
	finding := only(check.findings) with input as posture([rule({"prefix": "AWSLogs/111122223333/"})])
	finding.status == "unknown"
	contains(finding.message, "prefix \"AWSLogs/111122223333/\" names an account, and the account the logs are written for is not in the input")
}

test_rule_naming_the_known_account_is_decided if {
	known := object.union(trail, {"account": "111122223333"})
	count(check.findings) == 0 with input as {"trails": [known], "s3_buckets": [bucket([rule({"prefix": "AWSLogs/111122223333/CloudTrail"})])]}
	finding := only(check.findings) with input as {"trails": [known], "s3_buckets": [bucket([rule({"prefix": "AWSLogs/444455556666/"})])]}
	finding.status == "fail"
	contains(finding.message, "keys under \"AWSLogs/111122223333/CloudTrail\"): unbounded retention")
}

test_rule_not_on_digits_cannot_meet_an_account if {
	finding := only(check.findings) with input as posture([rule({"prefix": "AWSLogs/o-abc/"})])
	finding.status == "fail"
	contains(finding.message, "unbounded retention")
}

test_organization_trail_puts_the_organization_before_the_account if {
	org := object.union(trail, {"organization": true, "account": "111122223333"})
	finding := only(check.findings) with input as {"trails": [org], "s3_buckets": [bucket([rule({"prefix": "AWSLogs/o-abc/"})])]}
	finding.status == "unknown"
	contains(finding.message, "expire only part of the log files of trail main")
}

test_trail_key_prefix_moves_the_logs if {
	prefixed := object.union(trail, {"s3_key_prefix": "ct"})
	count(check.findings) == 0 with input as {"trails": [prefixed], "s3_buckets": [bucket([rule({"prefix": "ct/AWSLogs/"})])]}
	count(check.findings) == 0 with input as {"trails": [prefixed], "s3_buckets": [bucket([rule({"prefix": "c"})])]}
	finding := only(check.findings) with input as {"trails": [prefixed], "s3_buckets": [bucket([rule({"prefix": "AWSLogs/"})])]}
	finding.status == "fail"
	contains(finding.message, "keys under \"ct/AWSLogs/\"")
}

test_unknown_trail_key_prefix_leaves_prefixed_rules_unknown if {
	unknown_prefix := object.union(trail, {"s3_key_prefix": null, "unknown": {"s3_key_prefix": "variable var.prefix has no value"}})
	finding := only(check.findings) with input as {"trails": [unknown_prefix], "s3_buckets": [bucket([rule({"prefix": "AWSLogs/"})])]}
	finding.status == "unknown"
	contains(finding.message, "var.prefix")
	count(check.findings) == 0 with input as {"trails": [unknown_prefix], "s3_buckets": [bucket([rule({})])]}
}

test_shortest_overlapping_expiration_decides_the_minimum if {
	finding := only(check.findings) with input as posture([rule({"expiration_days": 400}), rule({"id": "short", "prefix": "AWSLogs/", "expiration_days": 10})])
	finding.status == "fail"
	contains(finding.message, "after 10 days (lifecycle rule \"short\")")
}

test_covering_rule_bounds_the_maximum_below_a_longer_one if {
	count(check.findings) == 0 with input as posture([rule({"expiration_days": 1000}), rule({"id": "logs", "prefix": "AWSLogs/", "expiration_days": 400})])
}

test_size_filtered_rule_expires_only_part if {
	sized := rule({"object_size_greater_than": 1024})
	finding := only(check.findings) with input as posture([sized])
	finding.status == "unknown"
	contains(finding.message, "expire only part of the log files of trail main (lifecycle rule \"expire\": only objects of given sizes, 400 days)")
	short := only(check.findings) with input as posture([rule({"id": "all"}), object.union(sized, {"expiration_days": 10})])
	short.status == "fail"
	contains(short.message, "after 10 days")
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

# The configuration set publishes to EventBridge instead; the bus's one rule, whose event pattern is
# known only after apply, sends to the Firehose stream: the stream's bucket may be in the path.
bus_arn := "arn:aws:events:eu-west-1:111122223333:event-bus/default"

maybe_through_event_bridge(rules) := object.union(ses_posture(rules), {
	"configuration_sets": [base("aws_sesv2_configuration_set.main", {"name": "main", "event_destinations": [{
		"id": "aws_sesv2_configuration_set_event_destination.bus", "name": "bus", "enabled": true,
		"event_types": ["SEND"], "destination_type": "event_bridge", "event_bus_arn": bus_arn, "event_bus": "bus",
		"firehose_stream_arn": null, "firehose_stream": null, "sns_topic_arn": null, "location": null, "unknown": {},
	}]})],
	"event_buses": [{
		"id": "bus", "account": "111122223333", "region": "eu-west-1", "location": null, "unknown": {},
		"name": "default", "arn": bus_arn, "complete": true, "archives": [],
		"rules": [{
			"id": "rule", "name": "ses-to-firehose", "event_pattern": null, "state": "ENABLED", "location": null,
			"unknown": {"event_pattern": "known only after apply"},
			"targets": [{"id": "t", "arn": "arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses", "target": "aws_kinesis_firehose_delivery_stream.ses", "unknown": {}}],
		}],
	}],
})

test_a_bucket_maybe_in_the_path_through_a_stream_is_unknown_where_it_would_fail if {
	count(check.findings) == 0 with input as maybe_through_event_bridge([rule({})])
	finding := only(check.findings) with input as maybe_through_event_bridge([])
	finding.status == "unknown"
	finding.resource == "aws_s3_bucket.ses"
	startswith(finding.message, "cannot tell how long bucket aws_s3_bucket.ses (may receive SES events of configuration set main via event bus arn:aws:events:eu-west-1:111122223333:event-bus/default rule ses-to-firehose through Firehose stream ses: the event pattern of rule ses-to-firehose is unknown (known only after apply)) keeps its logs: has no enabled lifecycle rule")
	contains(finding.message, "records Firehose stream ses delivers (keys under the UTC time prefix yyyy/MM/dd/HH/): unbounded retention (maximum 540 days), if it writes there at all: the event pattern of rule ses-to-firehose is unknown (known only after apply)")
}

# A trail surely writes to the same bucket, and a rule for AWSLogs/ keeps its logs 400 days: the
# trail's logs pass, the stream's would not, if it writes there at all.
with_trail_too := object.union(maybe_through_event_bridge([rule({"prefix": "AWSLogs/"})]), {"trails": [base("aws_cloudtrail.main", {
	"kind": "trail", "name": "main", "s3_bucket_name": null, "s3_bucket": "aws_s3_bucket.ses",
	"log_group_arn": null, "log_group": null,
})]})

test_a_writer_that_may_write_nothing_cannot_fail_a_bucket_others_surely_write_to if {
	finding := only(check.findings) with input as with_trail_too
	finding.status == "unknown"
	contains(finding.message, "receives CloudTrail logs of trail main")
	contains(finding.message, "records Firehose stream ses delivers (keys under the UTC time prefix yyyy/MM/dd/HH/): unbounded retention (maximum 540 days), if it writes there at all")
	not contains(finding.message, "log files of trail main")
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

test_tag_filtered_rule_is_unknown if {
	tagged := rule({"tag_filter": true})
	finding := only(check.findings) with input as posture([tagged])
	finding.status == "unknown"
	contains(finding.message, "it expires only objects with given tags")
}

test_unevaluated_filter_is_unknown if {
	finding := only(check.findings) with input as posture([rule({"unknown": {"object_size_greater_than": "expression not evaluated"}})])
	finding.status == "unknown"
	contains(finding.message, "its filter is not evaluated (expression not evaluated)")
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
	contains(finding.message, "lifecycle rule \"expire\" might expire the log files of trail main (after 400 days) but its status is unknown (var.status)")
}

test_prefixed_rule_of_unknown_days_is_unknown if {
	finding := only(check.findings) with input as posture([rule({"prefix": "AWSLogs/", "expiration_days": null, "unknown": {"expiration_days": "var.days"}})])
	finding.status == "unknown"
	contains(finding.message, "(after an unknown number of days) but its expiration days are unknown (var.days)")
}

# --- versioned buckets: expiration only hides the current version behind a delete marker ---

versioned(rules, versioning, unknown) := {"trails": [trail], "s3_buckets": [object.union(bucket(rules), {"versioning": versioning, "unknown": unknown})]}

test_versioned_bucket_without_noncurrent_expiration_fails if {
	finding := only(check.findings) with input as versioned([rule({})], "Enabled", {})
	finding.status == "fail"
	finding.message == "bucket trail-logs (receives CloudTrail logs of trail main) is versioned (Enabled): expiration only adds a delete marker and keeps every previous version of the log files of trail main, and no enabled rule covering them has a noncurrent_version_expiration without newer_noncurrent_versions"
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
	contains(finding.message, "keeps previous versions of the log files of trail main 200 days after they expire (lifecycle rule \"expire\"): 600 days in all, more than the 540-day maximum")
}

test_unversioned_bucket_needs_no_noncurrent_expiration if {
	count(check.findings) == 0 with input as versioned([rule({})], "Disabled", {})
}

test_unknown_versioning_is_unknown if {
	finding := only(check.findings) with input as versioned([rule({})], null, {"versioning": "known only after apply"})
	finding.status == "unknown"
	contains(finding.message, "whether it is versioned is unknown (known only after apply)")
}

test_newer_noncurrent_versions_keep_expired_logs_forever if {
	keeping := rule({"noncurrent_expiration_days": 30, "noncurrent_newer_versions": 3})
	finding := only(check.findings) with input as versioned([keeping], "Enabled", {})
	finding.status == "fail"
	contains(finding.message, "lifecycle rule \"expire\" keeps the 3 newest previous versions of each object forever, and an expired log object has one")
	count(check.findings) == 0 with input as versioned([keeping, rule({"id": "old", "expiration_days": null, "noncurrent_expiration_days": 10})], "Enabled", {})
}

test_noncurrent_expiration_on_a_prefix_that_misses_the_logs_does_not_count if {
	finding := only(check.findings) with input as versioned([rule({}), rule({"id": "tmp", "prefix": "tmp/", "expiration_days": null, "noncurrent_expiration_days": 1})], "Enabled", {})
	finding.status == "fail"
	contains(finding.message, "keeps every previous version of the log files of trail main")
}

# --- expiration by date, Object Lock, MFA delete ---

test_expiration_by_date_deletes_new_logs_within_a_day if {
	dated := rule({"expiration_days": null, "expiration_date": "2027-01-01T00:00:00Z"})
	finding := only(check.findings) with input as posture([dated])
	finding.status == "fail"
	contains(finding.message, "expires the log files of trail main on a date (lifecycle rule \"expire\" on 2027-01-01T00:00:00Z): every log written after it is deleted within a day")
}

test_expiration_by_date_without_minimum_is_unknown_for_the_maximum if {
	dated := rule({"expiration_days": null, "expiration_date": "2027-01-01T00:00:00Z"})
	finding := only(check.findings) with input as posture([dated]) with data.settings.retention.min_days as null
	finding.status == "unknown"
	contains(finding.message, "depends on today's date")
}

test_expiration_by_date_on_a_prefix_that_misses_the_logs_is_ignored if {
	dated := rule({"id": "purge", "prefix": "tmp/", "expiration_days": null, "expiration_date": "2027-01-01T00:00:00Z"})
	count(check.findings) == 0 with input as posture([rule({}), dated])
}

test_object_lock_longer_than_the_maximum_fails if {
	locked := {"trails": [trail], "s3_buckets": [object.union(bucket([rule({})]), {"object_lock_retention_days": 3650})]}
	finding := only(check.findings) with input as locked
	finding.status == "fail"
	contains(finding.message, "locks every new object version for 3650 days by default (Object Lock), more than the 540-day maximum")
	count(check.findings) == 0 with input as {"trails": [trail], "s3_buckets": [object.union(bucket([rule({})]), {"object_lock_retention_days": 365})]}
}

test_unknown_object_lock_is_unknown if {
	locked := object.union(bucket([rule({})]), {"object_lock_retention_days": null, "unknown": {"object_lock_retention_days": "AccessDenied on s3:GetBucketObjectLockConfiguration"}})
	finding := only(check.findings) with input as {"trails": [trail], "s3_buckets": [locked]}
	finding.status == "unknown"
	contains(finding.message, "its Object Lock default retention is unknown (AccessDenied")
}

test_mfa_delete_stops_lifecycle if {
	finding := only(check.findings) with input as {"trails": [trail], "s3_buckets": [object.union(bucket([rule({})]), {"mfa_delete": true})]}
	finding.status == "fail"
	contains(finding.message, "has MFA delete enabled: S3 Lifecycle does not run on an MFA delete-enabled bucket")
	count(check.findings) == 0 with input as {"trails": [trail], "s3_buckets": [object.union(bucket([rule({})]), {"mfa_delete": false})]}
}

test_unknown_mfa_delete_is_unknown if {
	unknown_mfa := object.union(bucket([rule({})]), {"mfa_delete": null, "unknown": {"mfa_delete": "AccessDenied on s3:GetBucketVersioning"}})
	finding := only(check.findings) with input as {"trails": [trail], "s3_buckets": [unknown_mfa]}
	finding.status == "unknown"
}

# --- Firehose: records under prefix (default yyyy/MM/dd/HH/), failed records under error_output_prefix ---

stream_posture(stream_fields, rules) := object.union(ses_posture(rules), {"firehose_streams": [object.union(ses_posture(rules).firehose_streams[0], stream_fields)]})

partitioned := {"prefix": "ses/!{partitionKeyFromQuery:EventType}/!{timestamp:yyyy/MM/dd}/", "error_output_prefix": "errors/!{firehose:error-output-type}/"}

test_firehose_prefixes_covered_by_their_rules_pass if {
	count(check.findings) == 0 with input as stream_posture(partitioned, [rule({"prefix": "ses/"}), rule({"id": "errors", "prefix": "errors/"})])
}

test_firehose_failed_records_need_a_rule_too if {
	finding := only(check.findings) with input as stream_posture(partitioned, [rule({"prefix": "ses/"})])
	finding.status == "fail"
	contains(finding.message, "has no enabled lifecycle rule that expires all of the failed records of Firehose stream ses (keys under \"errors/\")")
}

test_rule_inside_a_firehose_expression_covers_only_part if {
	finding := only(check.findings) with input as stream_posture(partitioned, [rule({"prefix": "ses/SEND/"}), rule({"id": "errors", "prefix": "errors/"})])
	finding.status == "unknown"
	contains(finding.message, "its rules expire only part of the records Firehose stream ses delivers")
}

test_firehose_default_time_prefix if {
	default_prefix := {"prefix": null, "error_output_prefix": "errors/"}
	count(check.findings) == 0 with input as stream_posture(default_prefix, [rule({})])
	finding := only(check.findings) with input as stream_posture(default_prefix, [rule({"prefix": "AWSLogs/"}), rule({"id": "errors", "prefix": "errors/"})])
	finding.status == "fail"
	contains(finding.message, "the records Firehose stream ses delivers (keys under the UTC time prefix yyyy/MM/dd/HH/)")
	year := only(check.findings) with input as stream_posture(default_prefix, [rule({"prefix": "2026/"}), rule({"id": "errors", "prefix": "errors/"})])
	year.status == "unknown"
	contains(year.message, "only the hours under prefix \"2026/\"")
}

test_firehose_without_error_prefix_leaves_prefixed_rules_unknown if {
	finding := only(check.findings) with input as stream_posture({"prefix": "ses/", "error_output_prefix": null}, [rule({"prefix": "ses/"})])
	finding.status == "unknown"
	contains(finding.message, "it sets no error_output_prefix")
	count(check.findings) == 0 with input as stream_posture({"prefix": "ses/", "error_output_prefix": null}, [rule({})])
}

test_firehose_with_unknown_prefix_leaves_prefixed_rules_unknown if {
	unknown_prefix := {"prefix": null, "error_output_prefix": "errors/", "unknown": {"prefix": "known only after apply"}}
	finding := only(check.findings) with input as stream_posture(unknown_prefix, [rule({"prefix": "ses/"}), rule({"id": "errors", "prefix": "errors/"})])
	finding.status == "unknown"
	contains(finding.message, "known only after apply")
}

# A trail and a stream sharing a bucket: each writer's logs are judged.
test_shared_bucket_judges_every_writer if {
	shared := object.union(stream_posture({"prefix": "ses/", "error_output_prefix": "errors/"}, []), {
		"trails": [object.union(trail, {"s3_bucket": "aws_s3_bucket.ses"})],
		"s3_buckets": [object.union(ses_posture([]).s3_buckets[0], {"lifecycle_rules": [rule({"prefix": "AWSLogs/"}), rule({"id": "ses", "prefix": "ses/"})]})],
	})
	finding := only(check.findings) with input as shared
	finding.status == "fail"
	contains(finding.message, "the failed records of Firehose stream ses")
	not contains(finding.message, "the log files of trail main")
}

# --- WorkMail vended delivery: <bucket ARN path>/AWSLogs/<account>/... ---

workmail_path_posture(arn, rules, delivery_fields) := object.union(workmail_posture(rules), {
	"delivery_destinations": [object.union(workmail_posture(rules).delivery_destinations[0], {"destination_resource_arn": arn})],
	"deliveries": [object.union(workmail_posture(rules).deliveries[0], delivery_fields)],
})

test_workmail_delivery_writes_under_the_arn_path_and_account if {
	count(check.findings) == 0 with input as workmail_path_posture("arn:aws:s3:::workmail-audit/wm", [rule({"prefix": "wm/AWSLogs/111122223333/"})], {})
	finding := only(check.findings) with input as workmail_path_posture("arn:aws:s3:::workmail-audit/wm", [rule({"prefix": "AWSLogs/"})], {})
	finding.status == "fail"
	contains(finding.message, "the WorkMail AUTHENTICATION_LOGS that delivery aws_cloudwatch_log_delivery.auth writes (keys under \"wm/AWSLogs/111122223333/\")")
}

test_workmail_suffix_path_leaves_prefixed_rules_unknown if {
	finding := only(check.findings) with input as workmail_path_posture("arn:aws:s3:::workmail-audit", [rule({"prefix": "AWSLogs/"})], {"s3_suffix_path": "audit/{yyyy}"})
	finding.status == "unknown"
	contains(finding.message, "sets a suffix path (audit/{yyyy})")
}

test_unknown_expiration_date_is_unknown if {
	dated := rule({"expiration_days": null, "expiration_date": null, "unknown": {"expiration_date": "variable var.purge_on has no value"}})
	finding := only(check.findings) with input as posture([dated])
	finding.status == "unknown"
	contains(finding.message, "expiration date is unknown (variable var.purge_on has no value)")
}

# WorkMail audit logs through Firehose land under the stream's prefixes, not under AWSLogs/.
test_workmail_stream_bucket_is_judged_by_the_stream_prefixes if {
	posture := object.union(workmail_posture([]), {
		"delivery_destinations": [base("aws_cloudwatch_log_delivery_destination.s3", {
			"name": "fh", "arn": null, "destination_type": "fh", "destination_resource_arn": null, "target": "aws_kinesis_firehose_delivery_stream.workmail",
		})],
		"firehose_streams": [base("aws_kinesis_firehose_delivery_stream.workmail", {
			"name": "workmail", "s3_bucket_arn": null, "s3_bucket": "aws_s3_bucket.workmail", "prefix": "workmail/!{timestamp:yyyy/MM/dd}/",
			"error_output_prefix": "errors/", "cloudwatch_logging": {"enabled": false, "log_group_name": null, "log_group": null},
		})],
	})
	count(check.findings) == 0 with input as object.union(posture, {"s3_buckets": [base("aws_s3_bucket.workmail", {"name": "workmail-audit", "lifecycle_rules": [rule({"prefix": "workmail/"}), rule({"id": "errors", "prefix": "errors/"})]})]})
	finding := only(check.findings) with input as object.union(posture, {"s3_buckets": [base("aws_s3_bucket.workmail", {"name": "workmail-audit", "lifecycle_rules": [rule({"prefix": "AWSLogs/"}), rule({"id": "errors", "prefix": "errors/"})]})]})
	finding.status == "fail"
	contains(finding.message, "has no enabled lifecycle rule that expires all of the records Firehose stream workmail delivers (keys under \"workmail/\")")
}
