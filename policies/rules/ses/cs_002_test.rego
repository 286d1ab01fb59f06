package sescheck.rules.ses.cs_002_test

import data.sescheck.rules.ses.cs_002 as check

all_required := ["SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "RENDERING_FAILURE", "DELIVERY_DELAY"]

destination(overrides) := object.union(
	{
		"id": "aws_sesv2_configuration_set_event_destination.firehose",
		"name": "firehose",
		"enabled": true,
		"event_types": all_required,
		"destination_type": "kinesis_firehose",
		"firehose_stream_arn": null,
		"firehose_stream": null,
		"sns_topic_arn": null,
		"location": null,
		"unknown": {},
	},
	overrides,
)

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

test_all_default_types_pass_with_v1_names_in_settings if {
	count(check.findings) == 0 with input as posture([destination({})])
	count(check.checked) == 1 with input as posture([destination({})])
}

test_missing_types_fail_and_are_named if {
	partial := destination({"event_types": ["SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY"]})
	findings := check.findings with input as posture([partial])
	count(findings) == 1
	some finding in findings
	finding.status == "fail"
	finding.rule_id == "CS-002"
	contains(finding.message, "do not publish DELIVERY_DELAY, RENDERING_FAILURE")
}

test_union_of_enabled_destinations_covers if {
	first := destination({"event_types": ["SEND", "REJECT", "BOUNCE", "COMPLAINT"]})
	second := destination({"id": "x.second", "name": "second", "event_types": ["DELIVERY", "RENDERING_FAILURE", "DELIVERY_DELAY"]})
	count(check.findings) == 0 with input as posture([first, second])
}

test_disabled_destination_types_do_not_count if {
	first := destination({"event_types": ["SEND", "REJECT", "BOUNCE", "COMPLAINT"]})
	second := destination({"id": "x.second", "name": "second", "enabled": false, "event_types": ["DELIVERY", "RENDERING_FAILURE", "DELIVERY_DELAY"]})
	findings := check.findings with input as posture([first, second])
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "DELIVERY, DELIVERY_DELAY, RENDERING_FAILURE")
}

test_v2_names_in_settings if {
	partial := destination({"event_types": ["BOUNCE", "RENDERING_FAILURE"]})
	count(check.findings) == 0 with input as posture([partial])
		with data.settings.ses.required_event_types as ["BOUNCE", "RENDERING_FAILURE"]
	findings := check.findings with input as posture([partial])
		with data.settings.ses.required_event_types as ["BOUNCE", "DELIVERY_DELAY"]
	some finding in findings
	contains(finding.message, "do not publish DELIVERY_DELAY")
}

test_v1_camel_case_in_settings_matches_v2_types if {
	partial := destination({"event_types": ["RENDERING_FAILURE", "DELIVERY_DELAY"]})
	count(check.findings) == 0 with input as posture([partial])
		with data.settings.ses.required_event_types as ["renderingFailure", "deliveryDelay"]
}

test_no_enabled_destination_misses_everything if {
	findings := check.findings with input as posture([])
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "no enabled event destination")
}

test_unknown_event_types_are_unknown if {
	unknown_types := destination({"event_types": null, "unknown": {"event_types": "known only after apply"}})
	findings := check.findings with input as posture([unknown_types])
	count(findings) == 1
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "known only after apply")
}

test_unknown_types_do_not_matter_when_covered if {
	unknown_types := destination({"id": "x.other", "event_types": null, "unknown": {"event_types": "known only after apply"}})
	count(check.findings) == 0 with input as posture([destination({}), unknown_types])
}

test_unknown_enabled_destination_that_could_cover_is_unknown if {
	partial := destination({"event_types": ["SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY"]})
	maybe := destination({"id": "x.maybe", "name": "maybe", "enabled": null, "unknown": {"enabled": "var.on"}})
	findings := check.findings with input as posture([partial, maybe])
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "enabled flag of destination \"maybe\" is unknown")
}

test_unknown_enabled_destination_that_cannot_cover_still_fails if {
	partial := destination({"event_types": ["SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY"]})
	maybe := destination({"id": "x.maybe", "name": "maybe", "enabled": null, "event_types": ["OPEN"], "unknown": {"enabled": "var.on"}})
	findings := check.findings with input as posture([partial, maybe])
	some finding in findings
	finding.status == "fail"
}

unread_module := {"id": "module.events", "reason": "directory modules/events does not exist or cannot be read", "location": null}

test_missing_types_with_an_unread_module_are_unknown if {
	partial := destination({"event_types": ["SEND"]})
	findings := check.findings with input as object.union(posture([partial]), {"unread_modules": [unread_module]})
	count(findings) == 1
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "module.events may declare an event destination for it")
}

test_types_published_only_to_cloud_watch_do_not_count if {
	metrics := destination({"id": "x.metrics", "name": "metrics", "destination_type": "cloud_watch", "event_types": ["DELIVERY", "RENDERING_FAILURE", "DELIVERY_DELAY"]})
	partial := destination({"event_types": ["SEND", "REJECT", "BOUNCE", "COMPLAINT"]})
	findings := check.findings with input as posture([partial, metrics])
	count(findings) == 1
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "do not publish DELIVERY, DELIVERY_DELAY, RENDERING_FAILURE to a durable destination")
	contains(finding.message, "by \"metrics\" (CloudWatch stores metrics, not events)")
}

test_event_bridge_counts_the_types_its_bus_keeps if {
	bridge := destination({"destination_type": "event_bridge", "event_bus_arn": "arn:aws:events:eu-west-1:111122223333:event-bus/default", "event_bus": "bus"})
	rule := {
		"id": "rule", "name": "bounces", "state": "ENABLED", "location": null, "unknown": {},
		"event_pattern": "{\"source\":[\"aws.ses\"],\"detail-type\":[\"Email Bounced\",\"Email Complaint Received\"]}",
		"targets": [{"id": "t", "arn": "arn:aws:logs:eu-west-1:111122223333:log-group:ses", "target": null, "unknown": {}}],
	}
	bus := {
		"id": "bus", "account": null, "region": "eu-west-1", "location": null, "unknown": {},
		"name": "default", "arn": "arn:aws:events:eu-west-1:111122223333:event-bus/default",
		"complete": true, "archives": [], "rules": [rule],
	}
	findings := check.findings with input as object.union(posture([bridge]), {"event_buses": [bus]})
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "do not publish DELIVERY, DELIVERY_DELAY, REJECT, RENDERING_FAILURE, SEND to a durable destination (they store BOUNCE, COMPLAINT")
}

# Repeated ids (not schema-valid) leave the table of stored types empty: each set is judged alone, the same.
test_repeated_configuration_set_ids_give_the_same_verdict if {
	partial := destination({"event_types": ["SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY"]})
	once := posture([partial])
	twice := {"configuration_sets": array.concat(once.configuration_sets, once.configuration_sets)}
	findings := check.findings with input as twice
	count(findings) == 1
	findings == check.findings with input as once
}
