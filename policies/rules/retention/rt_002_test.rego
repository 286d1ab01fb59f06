package sescheck.rules.retention.rt_002_test

import data.sescheck.lib.posture_fixtures_test as fixtures
import data.sescheck.rules.retention.rt_002 as check

base(id, overrides) := fixtures.with_kind_fields(id, object.union({"account": null, "region": "eu-west-1", "location": null, "unknown": {}}, overrides))

trail := base("aws_cloudtrail.main", {
	"kind": "trail", "name": "main", "s3_bucket_name": null, "s3_bucket": null,
	"log_group_arn": "arn:aws:logs:eu-west-1:111122223333:log-group:trail:*", "log_group": "aws_cloudwatch_log_group.trail",
})

log_group(overrides) := base("aws_cloudwatch_log_group.trail", object.union({"name": "trail", "retention_in_days": 400}, overrides))

posture(overrides) := {"trails": [trail], "log_groups": [log_group(overrides), base("aws_cloudwatch_log_group.app", {"name": "app", "retention_in_days": null})]}

only(findings) := finding if {
	count(findings) == 1
	some finding in findings
}

test_retention_within_bounds_passes if {
	count(check.findings) == 0 with input as posture({})
	count(check.checked) == 1 with input as posture({})
}

test_exactly_min_and_max_pass if {
	count(check.findings) == 0 with input as posture({"retention_in_days": 35})
	count(check.findings) == 0 with input as posture({"retention_in_days": 540})
}

test_below_min_fails if {
	finding := only(check.findings) with input as posture({"retention_in_days": 30})
	finding.status == "fail"
	finding.rule_id == "RT-002"
	finding.message == "log group trail (receives CloudTrail logs of trail main) keeps its events 30 days, fewer than the 35-day minimum"
}

test_above_max_fails if {
	finding := only(check.findings) with input as posture({"retention_in_days": 545})
	finding.status == "fail"
	contains(finding.message, "more than the 540-day maximum")
}

test_never_expire_fails if {
	finding := only(check.findings) with input as posture({"retention_in_days": null})
	finding.status == "fail"
	contains(finding.message, "never expires its events")
	zero := only(check.findings) with input as posture({"retention_in_days": 0})
	contains(zero.message, "never expires its events")
}

test_never_expire_passes_without_max if {
	count(check.findings) == 0 with input as posture({"retention_in_days": null}) with data.settings.retention.max_days as null
}

test_unknown_retention_is_unknown if {
	finding := only(check.findings) with input as posture({"retention_in_days": null, "unknown": {"retention_in_days": "variable var.retention has no value"}})
	finding.status == "unknown"
	contains(finding.message, "var.retention")
}

test_trail_log_group_not_in_input_is_unknown_named_by_arn if {
	finding := only(check.findings) with input as {"trails": [object.union(trail, {"log_group": null})], "log_groups": []}
	finding.status == "unknown"
	finding.resource == "trail"
	finding.account == "111122223333"
	finding.message == "log group trail receives CloudTrail logs of trail main but is not in the input; its retention cannot be judged"
}

firehose_posture(logging) := {
	"configuration_sets": [base("aws_sesv2_configuration_set.main", {"name": "main", "event_destinations": [{
		"id": "aws_sesv2_configuration_set_event_destination.firehose", "name": "firehose", "enabled": true,
		"event_types": ["SEND"], "destination_type": "kinesis_firehose",
		"firehose_stream_arn": null, "firehose_stream": "aws_kinesis_firehose_delivery_stream.ses",
		"sns_topic_arn": null, "location": null, "unknown": {"firehose_stream_arn": "known only after apply"},
	}]})],
	"firehose_streams": [base("aws_kinesis_firehose_delivery_stream.ses", {
		"name": "ses", "s3_bucket_arn": null, "s3_bucket": null, "cloudwatch_logging": logging,
	})],
	"log_groups": [base("aws_cloudwatch_log_group.firehose", {"name": "/aws/kinesisfirehose/ses", "retention_in_days": null})],
}

test_firehose_error_log_group_is_judged if {
	logging := {"enabled": true, "log_group_name": "/aws/kinesisfirehose/ses", "log_group": "aws_cloudwatch_log_group.firehose"}
	finding := only(check.findings) with input as firehose_posture(logging)
	finding.status == "fail"
	finding.resource == "aws_cloudwatch_log_group.firehose"
	contains(finding.message, "receives the error logs of Firehose stream ses, which carries SES events of configuration set main")
}

test_firehose_error_log_group_is_out_of_the_path_when_logging_is_off if {
	logging := {"enabled": false, "log_group_name": "/aws/kinesisfirehose/ses", "log_group": "aws_cloudwatch_log_group.firehose"}
	count(check.findings) == 0 with input as firehose_posture(logging)
	count(check.checked) == 0 with input as firehose_posture(logging)
}

test_workmail_log_group_is_judged if {
	posture := {
		"delivery_sources": [base("aws_cloudwatch_log_delivery_source.access", {
			"name": "access", "resource_arn": "arn:aws:workmail:eu-west-1:111122223333:organization/m-1", "log_type": "ACCESS_CONTROL_LOGS",
		})],
		"deliveries": [base("aws_cloudwatch_log_delivery.access", {
			"delivery_source_name": "access", "delivery_source": null,
			"delivery_destination_arn": "arn:aws:logs:eu-west-1:111122223333:delivery-destination:cwl", "delivery_destination": null,
		})],
		"delivery_destinations": [base("aws_cloudwatch_log_delivery_destination.cwl", {
			"name": "cwl", "arn": "arn:aws:logs:eu-west-1:111122223333:delivery-destination:cwl", "destination_type": "cwl",
			"destination_resource_arn": null, "target": "aws_cloudwatch_log_group.workmail",
		})],
		"log_groups": [base("aws_cloudwatch_log_group.workmail", {"name": "workmail", "retention_in_days": 1})],
	}
	finding := only(check.findings) with input as posture
	finding.status == "fail"
	contains(finding.message, "receives WorkMail ACCESS_CONTROL_LOGS")
	contains(finding.message, "keeps its events 1 days")
}

test_unknown_ses_stream_leaves_its_error_log_group_unknown if {
	logging := {"enabled": true, "log_group_name": "/aws/kinesisfirehose/ses", "log_group": "aws_cloudwatch_log_group.firehose"}
	posture := firehose_posture(logging)
	unlinked := json.patch(posture, [{"op": "replace", "path": "/configuration_sets/0/event_destinations/0/firehose_stream", "value": null}])
	finding := only(check.findings) with input as unlinked
	finding.status == "unknown"
	finding.resource == "aws_sesv2_configuration_set.main"
	contains(finding.message, "the log destination that receives SES events of configuration set main via event destination firehose is unknown (known only after apply)")
	absent := only(check.findings) with input as object.union(posture, {"firehose_streams": []})
	contains(absent.message, "Firehose stream aws_kinesis_firehose_delivery_stream.ses receives SES events of configuration set main via event destination firehose but is not in the input; the error log group it delivers to cannot be judged")
}

# WorkMail audit logs through Firehose: the stream's error log group is in the path too, as for SES events.
test_error_log_group_of_a_workmail_stream_is_judged if {
	posture := {
		"delivery_sources": [base("aws_cloudwatch_log_delivery_source.auth", {
			"name": "auth", "resource_arn": "arn:aws:workmail:eu-west-1:111122223333:organization/m-1", "log_type": "AUTHENTICATION_LOGS",
		})],
		"deliveries": [base("aws_cloudwatch_log_delivery.auth", {
			"delivery_source_name": "auth", "delivery_source": "aws_cloudwatch_log_delivery_source.auth",
			"delivery_destination_arn": null, "delivery_destination": "aws_cloudwatch_log_delivery_destination.fh",
		})],
		"delivery_destinations": [base("aws_cloudwatch_log_delivery_destination.fh", {
			"name": "fh", "arn": null, "destination_type": "fh", "destination_resource_arn": null, "target": "aws_kinesis_firehose_delivery_stream.workmail",
		})],
		"firehose_streams": [base("aws_kinesis_firehose_delivery_stream.workmail", {
			"name": "workmail", "s3_bucket_arn": null, "s3_bucket": null, "error_output_prefix": "errors/", "prefix": "workmail/",
			"cloudwatch_logging": {"enabled": true, "log_group_name": "/aws/kinesisfirehose/workmail", "log_group": "aws_cloudwatch_log_group.firehose"},
		})],
		"log_groups": [base("aws_cloudwatch_log_group.firehose", {"name": "/aws/kinesisfirehose/workmail", "retention_in_days": null})],
	}
	finding := only(check.findings) with input as posture
	finding.status == "fail"
	contains(finding.message, "receives the error logs of Firehose stream workmail, which carries WorkMail AUTHENTICATION_LOGS")
	contains(finding.message, "never expires its events")
}

# SES events through EventBridge: a configuration set publishing to a bus whose one rule sends to
# log group ses-events; the rule's event pattern is given, or unknown (null, with why).
ses_bus := "arn:aws:events:eu-west-1:111122223333:event-bus/default"

ses_group(retention) := base("aws_cloudwatch_log_group.ses", {"name": "ses-events", "retention_in_days": retention})

through_event_bridge(pattern, unknown, retention) := {
	"configuration_sets": [base("aws_sesv2_configuration_set.main", {
		"name": "main", "api": "v2", "tls_policy": "REQUIRE",
		"event_destinations": [{
			"id": "aws_sesv2_configuration_set_event_destination.bus", "name": "bus", "enabled": true, "event_types": ["SEND"],
			"destination_type": "event_bridge", "event_bus_arn": ses_bus, "event_bus": "bus",
			"firehose_stream_arn": null, "firehose_stream": null, "sns_topic_arn": null, "location": null, "unknown": {},
		}],
	})],
	"event_buses": [{
		"id": "bus", "account": "111122223333", "region": "eu-west-1", "location": null, "unknown": {},
		"name": "default", "arn": ses_bus, "complete": true, "archives": [],
		"rules": [{
			"id": "rule", "name": "ses-to-logs", "event_pattern": pattern, "state": "ENABLED", "location": null, "unknown": unknown,
			"targets": [{"id": "t", "arn": "arn:aws:logs:eu-west-1:111122223333:log-group:ses-events", "target": "aws_cloudwatch_log_group.ses", "unknown": {}}],
		}],
	}],
	"log_groups": [ses_group(retention)],
}

unknown_pattern := {"event_pattern": "known after apply"}

test_a_rule_matching_ses_events_puts_its_log_group_in_the_path if {
	finding := only(check.findings) with input as through_event_bridge("{\"source\":[\"aws.ses\"]}", {}, 7)
	finding.status == "fail"
	finding.message == "log group ses-events (receives SES events of configuration set main via event bus arn:aws:events:eu-west-1:111122223333:event-bus/default rule ses-to-logs) keeps its events 7 days, fewer than the 35-day minimum"
}

test_a_rule_whose_pattern_is_unknown_may_put_its_log_group_in_the_path_unknown_where_it_would_fail if {
	finding := only(check.findings) with input as through_event_bridge(null, unknown_pattern, 7)
	finding.status == "unknown"
	finding.message == "log group ses-events (may receive SES events of configuration set main via event bus arn:aws:events:eu-west-1:111122223333:event-bus/default rule ses-to-logs: the event pattern of rule ses-to-logs is unknown (known after apply)) keeps its events 7 days, fewer than the 35-day minimum"
}

test_a_log_group_maybe_in_the_path_within_bounds_passes if {
	count(check.findings) == 0 with input as through_event_bridge(null, unknown_pattern, 400)
	count(check.checked) == 1 with input as through_event_bridge(null, unknown_pattern, 400)
}

test_a_log_group_also_linked_surely_fails if {
	surely := object.union(through_event_bridge(null, unknown_pattern, 7), {"trails": [base("aws_cloudtrail.main", {
		"kind": "trail", "name": "main", "s3_bucket_name": null, "s3_bucket": null,
		"log_group_arn": "arn:aws:logs:eu-west-1:111122223333:log-group:ses-events:*", "log_group": "aws_cloudwatch_log_group.ses",
	})]})
	finding := only(check.findings) with input as surely
	finding.status == "fail"
	contains(finding.message, "(may receive SES events of configuration set main via event bus arn:aws:events:eu-west-1:111122223333:event-bus/default rule ses-to-logs: the event pattern of rule ses-to-logs is unknown (known after apply); receives CloudTrail logs of trail main)")
}

test_a_schedule_rule_puts_nothing_in_the_path if {
	count(check.checked) == 0 with input as through_event_bridge(null, {}, 7)
}

rule_changed(posture, fields) := object.union(posture, {"event_buses": [object.union(posture.event_buses[0], {"rules": [object.union(posture.event_buses[0].rules[0], fields)]})]})

test_a_disabled_rule_puts_nothing_in_the_path if {
	disabled := rule_changed(through_event_bridge("{\"source\":[\"aws.ses\"]}", {}, 7), {"state": "DISABLED"})
	count(check.findings) == 0 with input as disabled
	count(check.checked) == 0 with input as disabled
}

test_a_rule_whose_state_is_unknown_may_put_its_log_group_in_the_path if {
	unknown_state := rule_changed(through_event_bridge("{\"source\":[\"aws.ses\"]}", {"state": "known after apply"}, 7), {"state": null})
	finding := only(check.findings) with input as unknown_state
	finding.status == "unknown"
	contains(finding.message, "(may receive SES events of configuration set main via event bus arn:aws:events:eu-west-1:111122223333:event-bus/default rule ses-to-logs: the state of rule ses-to-logs is unknown (known after apply))")
	both := rule_changed(through_event_bridge(null, {"state": "known after apply", "event_pattern": "known after apply"}, 7), {"state": null})
	contains(only(check.findings).message, "the event pattern of rule ses-to-logs is unknown (known after apply); the state of rule ses-to-logs is unknown (known after apply)") with input as both
}

test_an_enabled_rule_of_any_enabled_state_puts_its_log_group_in_the_path if {
	all_management := rule_changed(through_event_bridge("{\"source\":[\"aws.ses\"]}", {}, 7), {"state": "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"})
	only(check.findings).status == "fail" with input as all_management
}

test_a_rule_state_sescheck_does_not_know_is_a_doubt if {
	paused := rule_changed(through_event_bridge("{\"source\":[\"aws.ses\"]}", {}, 7), {"state": "PAUSED"})
	finding := only(check.findings) with input as paused
	finding.status == "unknown"
	contains(finding.message, "the state of rule ses-to-logs is PAUSED, which sescheck does not know")
	lower_case := rule_changed(through_event_bridge("{\"source\":[\"aws.ses\"]}", {}, 7), {"state": "disabled"})
	count(check.checked) == 0 with input as lower_case
}
