package sescheck.rules.ses.cs_001_test

import data.sescheck.rules.ses.cs_001 as check

destination(overrides) := object.union(
	{
		"id": "aws_sesv2_configuration_set_event_destination.firehose",
		"name": "firehose",
		"enabled": true,
		"event_types": ["SEND", "BOUNCE"],
		"destination_type": "kinesis_firehose",
		"firehose_stream_arn": "arn:aws:firehose:eu-west-1:111122223333:deliverystream/ses",
		"firehose_stream": null,
		"sns_topic_arn": null,
		"location": null,
		"unknown": {},
	},
	overrides,
)

configuration_set(destinations) := {
	"id": "aws_sesv2_configuration_set.main",
	"account": null,
	"region": "eu-west-1",
	"location": null,
	"unknown": {},
	"name": "main",
	"api": "v2",
	"tls_policy": "REQUIRE",
	"event_destinations": destinations,
}

test_enabled_destination_passes if {
	posture := {"configuration_sets": [configuration_set([destination({})])]}
	count(check.findings) == 0 with input as posture
	count(check.checked) == 1 with input as posture
}

test_one_enabled_among_disabled_passes if {
	posture := {"configuration_sets": [configuration_set([destination({"enabled": false, "name": "off"}), destination({})])]}
	count(check.findings) == 0 with input as posture
}

test_no_destination_fails if {
	findings := check.findings with input as {"configuration_sets": [configuration_set([])]}
	some finding in findings
	finding.status == "fail"
	finding.rule_id == "CS-001"
	finding.resource == "aws_sesv2_configuration_set.main"
	contains(finding.message, "no event destinations")
}

test_disabled_destination_fails_naming_it if {
	findings := check.findings with input as {"configuration_sets": [configuration_set([destination({"enabled": false})])]}
	count(findings) == 1
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "disabled: \"firehose\"")
}

test_enabled_null_without_unknown_is_disabled if {
	findings := check.findings with input as {"configuration_sets": [configuration_set([destination({"enabled": null})])]}
	some finding in findings
	finding.status == "fail"
}

test_unknown_enabled_is_unknown_not_fail if {
	unknown_destination := destination({"enabled": null, "unknown": {"enabled": "variable var.enabled has no value"}})
	findings := check.findings with input as {"configuration_sets": [configuration_set([unknown_destination])]}
	count(findings) == 1
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "var.enabled")
}

test_unknown_destination_list_is_unknown if {
	set := object.union(configuration_set([]), {"unknown": {"event_destinations": "AccessDenied on ses:GetConfigurationSetEventDestinations"}})
	findings := check.findings with input as {"configuration_sets": [set]}
	count(findings) == 1
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "AccessDenied")
}

test_v1_set_is_judged_too if {
	set := object.union(configuration_set([]), {"id": "aws_ses_configuration_set.legacy", "api": "v1", "name": "legacy"})
	findings := check.findings with input as {"configuration_sets": [set]}
	some finding in findings
	finding.resource == "aws_ses_configuration_set.legacy"
	finding.status == "fail"
}

unread_module := {"id": "module.events", "reason": "directory modules/events does not exist or cannot be read", "location": null}

test_no_destination_with_an_unread_module_is_unknown_naming_it if {
	posture := {"configuration_sets": [configuration_set([])], "unread_modules": [unread_module]}
	findings := check.findings with input as posture
	some finding in findings
	count(findings) == 1
	finding.status == "unknown"
	contains(finding.message, "has no enabled event destination in the input (it has no event destinations), but module.events may declare an event destination for it")
}

test_enabled_destination_passes_whatever_unread_modules_declare if {
	count(check.findings) == 0 with input as {"configuration_sets": [configuration_set([destination({})])], "unread_modules": [unread_module]}
}
