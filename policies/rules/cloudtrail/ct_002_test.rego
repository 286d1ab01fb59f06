package sescheck.rules.cloudtrail.ct_002_test

import data.sescheck.rules.cloudtrail.ct_002 as check
import data.sescheck.rules.cloudtrail.fixtures_test as fx

all_types := fx.posture([fx.trail({"advanced_event_selectors": fx.all_ses_selectors})])

# Every SES selector of the default trail, with extra conditions on the selector of one type.
narrowed(type, extra) := fx.posture([fx.trail({"advanced_event_selectors": [selector |
	some original in fx.all_ses_selectors
	selector := narrow(original, type, extra)
]})])

narrow(selector, type, extra) := fx.ses_selector(type, extra) if selector.name == sprintf("SES %s", [type])

narrow(selector, type, _) := selector if selector.name != sprintf("SES %s", [type])

messages(posture) := {finding.message | some finding in findings} if {
	findings := check.findings with input as posture
}

test_every_required_type_selected_passes if {
	count(check.findings) == 0 with input as all_types
	count(check.checked) == 1 with input as all_types
}

test_identity_selector_only_fails_for_configuration_sets_and_templates if {
	findings := check.findings with input as fx.posture([fx.trail({})])
	finding := fx.only_finding(findings)
	finding.status == "fail"
	finding.rule_id == "CT-002"
	finding.message == concat("; ", [
		"SES sends in eu-west-1 are not recorded as AWS::SES::ConfigurationSet data events: trail main: no advanced event selector selects eventCategory Data and resources.type AWS::SES::ConfigurationSet",
		"SES sends in eu-west-1 are not recorded as AWS::SES::Template data events: trail main: no advanced event selector selects eventCategory Data and resources.type AWS::SES::Template",
	])
}

test_a_failing_type_and_an_undecided_one_give_one_failing_finding_naming_both if {
	posture := narrowed("AWS::SES::Template", [{"field": "resources.ARN", "starts_with": ["arn:aws:ses:eu-west-1:111122223333:template/"]}])
	findings := check.findings with input as posture with data.settings.cloudtrail.required_resource_types as ["AWS::SES::Template", "AWS::SES::Unmodelled"]
	finding := fx.only_finding(findings)
	finding.status == "fail"
	contains(finding.message, "not recorded as AWS::SES::Unmodelled data events")
	contains(finding.message, "cannot tell whether SES sends in eu-west-1 are recorded as AWS::SES::Template data events")
}

test_required_types_come_from_settings if {
	count(check.findings) == 0 with input as fx.posture([fx.trail({})])
		with data.settings.cloudtrail.required_resource_types as []
	count(check.checked) == 0 with input as fx.posture([fx.trail({})])
		with data.settings.cloudtrail.required_resource_types as []
	findings := check.findings with input as fx.posture([fx.trail({})])
		with data.settings.cloudtrail.required_resource_types as ["AWS::SES::Template"]
	count(findings) == 1
}

test_template_sends_do_not_include_send_raw_email if {
	apis := ["SendEmail", "SendBulkEmail", "SendTemplatedEmail", "SendBulkTemplatedEmail"]
	count(check.findings) == 0 with input as narrowed("AWS::SES::Template", [{"field": "eventName", "equals": apis}])
}

test_configuration_set_sends_include_send_raw_email if {
	apis := ["SendEmail", "SendBulkEmail", "SendTemplatedEmail", "SendBulkTemplatedEmail"]
	found := messages(narrowed("AWS::SES::ConfigurationSet", [{"field": "eventName", "equals": apis}]))
	count(found) == 1
	some message in found
	endswith(message, "eventName Equals [SendEmail, SendBulkEmail, SendTemplatedEmail, SendBulkTemplatedEmail] excludes SendRawEmail")
}

test_configuration_set_arn_condition_is_checked_against_each_set if {
	posture := narrowed("AWS::SES::ConfigurationSet", [{
		"field": "resources.ARN",
		"equals": ["arn:aws:ses:eu-west-1:111122223333:configuration-set/main"],
	}])
	live := object.union(
		posture,
		{
			"trails": [object.union(trail, {"account": "111122223333"}) | some trail in posture.trails],
			"identities": [],
			"configuration_sets": [
				fx.configuration_set({"account": "111122223333"}),
				fx.configuration_set({"id": "arn:aws:ses:eu-west-1:111122223333:configuration-set/bulk", "name": "bulk", "account": "111122223333"}),
			],
		},
	)
	found := messages(live)
	count(found) == 1
	some message in found
	endswith(message, "configuration-set/main] excludes arn:aws:ses:eu-west-1:111122223333:configuration-set/bulk")
}

test_template_arn_condition_is_unknown_since_templates_are_not_in_the_input if {
	findings := check.findings with input as narrowed("AWS::SES::Template", [{
		"field": "resources.ARN",
		"starts_with": ["arn:aws:ses:eu-west-1:111122223333:template/newsletter-"],
	}])
	finding := fx.only_finding(findings)
	finding.status == "unknown"
	contains(finding.message, "arn:aws:ses:eu-west-1:<account>:template/<name>")
	contains(finding.message, "which of these resources exist is not in the input")
}

test_read_only_false_on_the_template_selector if {
	found := messages(narrowed("AWS::SES::Template", [{"field": "readOnly", "equals": ["false"]}]))
	count(found) == 1
	some message in found
	contains(message, "readOnly Equals [false] excludes sends")
}

test_a_type_sescheck_does_not_know if {
	type := "AWS::SES::MailManagerArchive"
	posture := fx.posture([fx.trail({"advanced_event_selectors": [fx.ses_selector(type, [])]})])
	count(check.findings) == 0 with input as posture with data.settings.cloudtrail.required_resource_types as [type]
	narrowed_posture := fx.posture([fx.trail({"advanced_event_selectors": [fx.ses_selector(type, [{"field": "eventName", "equals": ["SendEmail"]}])]})])
	finding := fx.only_finding(check.findings) with input as narrowed_posture
		with data.settings.cloudtrail.required_resource_types as [type]
	finding.status == "unknown"
	contains(finding.message, "sescheck does not know the APIs of AWS::SES::MailManagerArchive")
}
