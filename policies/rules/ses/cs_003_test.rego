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

test_cloud_watch_and_event_bridge_are_durable if {
	count(check.findings) == 0 with input as posture([destination({"destination_type": "cloud_watch"})])
	count(check.findings) == 0 with input as posture([destination({"destination_type": "event_bridge"})])
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
