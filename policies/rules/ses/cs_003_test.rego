package sescheck.rules.ses.cs_003_test

import data.sescheck.rules.ses.cs_003 as check

destination(overrides) := object.union(
	{
		"id": "aws_sesv2_configuration_set_event_destination.firehose",
		"name": "firehose",
		"enabled": true,
		"event_types": ["SEND"],
		"destination_type": "kinesis_firehose",
		"firehose_stream_arn": null,
		"firehose_stream": null,
		"sns_topic_arn": null,
		"location": null,
		"unknown": {},
	},
	overrides,
)

sns := destination({"id": "x.sns", "name": "feedback", "destination_type": "sns", "sns_topic_arn": "arn:aws:sns:eu-west-1:111122223333:feedback"})

posture(destinations) := {"configuration_sets": [{
	"id": "aws_sesv2_configuration_set.main",
	"account": null,
	"region": "eu-west-1",
	"location": null,
	"unknown": {},
	"name": "main",
	"api": "v2",
	"tls_policy": "REQUIRE",
	"event_destinations": destinations,
}]}

test_enabled_firehose_passes if {
	count(check.findings) == 0 with input as posture([destination({}), sns])
	count(check.checked) == 1 with input as posture([destination({}), sns])
}

test_cloud_watch_stores_metrics_not_events if {
	findings := check.findings with input as posture([destination({"destination_type": "cloud_watch"})])
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "(cloud_watch)")
	count(check.findings) == 0 with input as posture([destination({"destination_type": "cloud_watch"})])
		with data.settings.ses.durable_destinations as ["cloud_watch"]
}

bus_arn := "arn:aws:events:eu-west-1:111122223333:event-bus/default"

event_bridge := destination({
	"id": "x.eventbridge",
	"name": "bridge",
	"destination_type": "event_bridge",
	"event_bus_arn": bus_arn,
	"event_bus": "bus",
})

bus(overrides) := object.union(
	{
		"id": "bus",
		"account": "111122223333",
		"region": "eu-west-1",
		"location": null,
		"unknown": {},
		"name": "default",
		"arn": bus_arn,
		"complete": true,
		"archives": [],
		"rules": [],
	},
	overrides,
)

archive(overrides) := object.union(
	{"id": "archive", "name": "ses", "event_pattern": "{\"source\":[\"aws.ses\"]}", "retention_days": 400, "state": "ENABLED", "location": null, "unknown": {}},
	overrides,
)

rule(overrides) := object.union(
	{
		"id": "rule",
		"name": "ses-to-logs",
		"event_pattern": "{\"source\":[\"aws.ses\"]}",
		"state": "ENABLED",
		"targets": [{"id": "t", "arn": "arn:aws:logs:eu-west-1:111122223333:log-group:ses-events", "target": null, "unknown": {}}],
		"location": null,
		"unknown": {},
	},
	overrides,
)

with_bus(destinations, the_bus) := object.union(posture(destinations), {"event_buses": [the_bus]})

test_event_bridge_with_archive_in_bounds_passes if {
	count(check.findings) == 0 with input as with_bus([event_bridge], bus({"archives": [archive({})]}))
}

test_event_bridge_archive_outside_bounds_fails if {
	findings := check.findings with input as with_bus([event_bridge], bus({"archives": [archive({"retention_days": 7})]}))
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "archive ses: it keeps events 7 days, below the 35 days minimum")
	indefinite := check.findings with input as with_bus([event_bridge], bus({"archives": [archive({"retention_days": null})]}))
	some forever in indefinite
	forever.status == "fail"
	contains(forever.message, "indefinitely")
}

test_event_bridge_archive_without_a_maximum_in_settings_keeps_whatever_it_keeps_long_enough if {
	kept := with_bus([event_bridge], bus({"archives": [archive({})]}))
	count(check.findings) == 0 with input as kept with data.settings.retention.max_days as null
	forever := with_bus([event_bridge], bus({"archives": [archive({"retention_days": null})]}))
	count(check.findings) == 0 with input as forever with data.settings.retention.max_days as null
	long := with_bus([event_bridge], bus({"archives": [archive({"retention_days": 5000})]}))
	some finding in check.findings with input as long
	contains(finding.message, "5000 days, beyond the 540 days maximum")
}

test_event_bridge_rule_to_log_group_passes if {
	count(check.findings) == 0 with input as with_bus([event_bridge], bus({"rules": [rule({})]}))
}

test_event_bridge_rule_to_sns_only_fails if {
	to_sns := rule({"targets": [{"id": "t", "arn": "arn:aws:sns:eu-west-1:111122223333:alerts", "target": null, "unknown": {}}]})
	findings := check.findings with input as with_bus([event_bridge], bus({"rules": [to_sns]}))
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "rule ses-to-logs: no target stores events")
}

test_event_bridge_rule_for_other_source_fails if {
	other := rule({"event_pattern": "{\"source\":[\"aws.ec2\"]}"})
	findings := check.findings with input as with_bus([event_bridge], bus({"rules": [other]}))
	some finding in findings
	finding.status == "fail"
}

test_event_bridge_disabled_rule_fails if {
	findings := check.findings with input as with_bus([event_bridge], bus({"rules": [rule({"state": "DISABLED"})]}))
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "it is DISABLED")
}

# A state EventBridge does not have (the provider would refuse it at apply) is not a rule that sends nothing.
test_event_bridge_rule_in_a_state_sescheck_does_not_know_is_unknown if {
	findings := check.findings with input as with_bus([event_bridge], bus({"rules": [rule({"state": "PAUSED"})]}))
	count(findings) == 1
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "its state is PAUSED, which sescheck does not know")
}

test_event_bridge_rule_to_firehose_to_s3_passes if {
	to_stream := rule({"targets": [{"id": "t", "arn": "arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses", "target": "stream", "unknown": {}}]})
	stream := {"id": "stream", "name": "ses", "destination": "extended_s3", "s3_bucket": null, "unknown": {}, "account": null, "region": "eu-west-1", "location": null, "arn": "arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses", "s3_bucket_arn": null, "compression_format": "GZIP", "error_output_prefix": null, "cloudwatch_logging": {"enabled": false, "log_group_name": null, "log_group": null}}
	count(check.findings) == 0 with input as object.union(with_bus([event_bridge], bus({"rules": [to_stream]})), {"firehose_streams": [stream]})
	absent := check.findings with input as with_bus([event_bridge], bus({"rules": [to_stream]}))
	some finding in absent
	finding.status == "unknown"
	contains(finding.message, "Firehose stream arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses is not in the input")
}

# Live: a rule's Firehose target whose bucket does not exist stores nothing.
test_event_bridge_rule_to_firehose_whose_bucket_does_not_exist_fails if {
	to_stream := rule({"targets": [{"id": "t", "arn": "arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses", "target": "stream", "unknown": {}}]})
	stream := {"id": "stream", "name": "ses", "destination": "extended_s3", "s3_bucket": "arn:aws:s3:::ses-logs", "unknown": {}, "account": null, "region": "eu-west-1", "location": null, "arn": "arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses", "s3_bucket_arn": null, "compression_format": "GZIP", "error_output_prefix": null, "cloudwatch_logging": {"enabled": false, "log_group_name": null, "log_group": null}}
	gone := {
		"id": "arn:aws:s3:::ses-logs", "name": "ses-logs", "exists": false, "unknown": {}, "account": "111122223333", "region": null, "location": null,
		"arn": "arn:aws:s3:::ses-logs", "lifecycle_rules": [], "public_access_block": null, "public_access_block_source": null,
	}
	findings := check.findings with input as object.union(with_bus([event_bridge], bus({"rules": [to_stream]})), {"firehose_streams": [stream], "s3_buckets": [gone]})
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "no target stores events")
}

test_event_bridge_bus_not_in_input_is_unknown if {
	findings := check.findings with input as posture([event_bridge])
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "is not in the input")
}

test_event_bridge_bus_with_rules_outside_the_input_is_unknown if {
	findings := check.findings with input as with_bus([event_bridge], bus({"complete": false}))
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "may exist outside the input")
	count(check.findings) == 0 with input as with_bus([event_bridge], bus({"complete": false, "archives": [archive({})]}))
}

test_event_bridge_pattern_on_detail_is_unknown if {
	narrowed := rule({"event_pattern": "{\"source\":[\"aws.ses\"],\"detail\":{\"mail\":{\"source\":[\"a@example.com\"]}}}"})
	findings := check.findings with input as with_bus([event_bridge], bus({"rules": [narrowed]}))
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "filters on detail")
}

test_event_bridge_rules_not_listed_is_unknown if {
	findings := check.findings with input as with_bus([event_bridge], bus({"unknown": {"rules": "AccessDeniedException on events:ListRules in eu-west-1"}}))
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "AccessDeniedException")
}

test_pinpoint_alone_fails if {
	findings := check.findings with input as posture([destination({"destination_type": "pinpoint"})])
	some finding in findings
	finding.status == "fail"
}

test_sns_alone_fails if {
	findings := check.findings with input as posture([sns])
	count(findings) == 1
	some finding in findings
	finding.status == "fail"
	finding.rule_id == "CS-003"
	contains(finding.message, "\"feedback\" (sns)")
}

test_disabled_firehose_with_sns_fails if {
	findings := check.findings with input as posture([destination({"enabled": false}), sns])
	some finding in findings
	finding.status == "fail"
}

test_no_destination_fails if {
	findings := check.findings with input as posture([])
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "no enabled event destination")
}

test_sns_counts_when_settings_say_so if {
	count(check.findings) == 0 with input as posture([sns])
		with data.settings.ses.durable_destinations as ["sns"]
}

test_unknown_type_is_unknown if {
	findings := check.findings with input as posture([sns, destination({"destination_type": null, "unknown": {"destination_type": "expression not evaluated: ${local.kind}"}})])
	count(findings) == 1
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "local.kind")
}

test_unknown_enabled_firehose_is_unknown if {
	findings := check.findings with input as posture([sns, destination({"enabled": null, "unknown": {"enabled": "var.on"}})])
	some finding in findings
	finding.status == "unknown"
}

test_enabled_destination_without_type_fails if {
	findings := check.findings with input as posture([destination({"destination_type": null})])
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "\"firehose\" (no type)")
}

unread_module := {"id": "module.events", "reason": "directory modules/events does not exist or cannot be read", "location": null}

test_no_durable_destination_with_an_unread_module_is_unknown if {
	findings := check.findings with input as object.union(posture([sns]), {"unread_modules": [unread_module]})
	count(findings) == 1
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "module.events may declare a durable event destination for it")
}
