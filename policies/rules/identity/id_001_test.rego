package sescheck.rules.identity.id_001_test

import data.sescheck.rules.identity.id_001 as check

identity(overrides) := object.union(
	{
		"id": "aws_sesv2_email_identity.example",
		"account": null,
		"region": "eu-west-1",
		"location": {"file": "main.tf", "line": 12},
		"unknown": {},
		"identity": "example.com",
		"kind": "domain",
		"api": "v2",
		"default_configuration_set_name": "main",
		"default_configuration_set": "aws_sesv2_configuration_set.main",
		"notification_topics": [],
		"feedback_forwarding_enabled": null,
	},
	overrides,
)

test_default_set_passes if {
	count(check.findings) == 0 with input as {"identities": [identity({})]}
	count(check.checked) == 1 with input as {"identities": [identity({})]}
}

test_default_set_named_but_not_in_input_passes if {
	count(check.findings) == 0 with input as {"identities": [identity({"default_configuration_set": null})]}
}

test_default_set_linked_with_unknown_name_passes if {
	linked := identity({"default_configuration_set_name": null, "unknown": {"default_configuration_set_name": "known only after apply"}})
	count(check.findings) == 0 with input as {"identities": [linked]}
}

test_no_default_set_fails if {
	bare := identity({"default_configuration_set_name": null, "default_configuration_set": null})
	findings := check.findings with input as {"identities": [bare]}
	count(findings) == 1
	some finding in findings
	finding.status == "fail"
	finding.rule_id == "ID-001"
	finding.location == {"file": "main.tf", "line": 12}
	contains(finding.message, "identity example.com has no default configuration set")
}

test_empty_name_fails if {
	bare := identity({"default_configuration_set_name": "", "default_configuration_set": null})
	some finding in check.findings with input as {"identities": [bare]}
	finding.status == "fail"
}

test_unknown_default_is_unknown if {
	unknown := identity({
		"default_configuration_set_name": null, "default_configuration_set": null,
		"unknown": {"default_configuration_set_name": "variable var.set has no value"},
	})
	findings := check.findings with input as {"identities": [unknown]}
	count(findings) == 1
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "var.set")
}

test_v1_identity_fails_pointing_to_sesv2 if {
	v1 := identity({
		"id": "aws_ses_domain_identity.example", "api": "v1",
		"default_configuration_set_name": null, "default_configuration_set": null,
	})
	findings := check.findings with input as {"identities": [v1]}
	count(findings) == 1
	some finding in findings
	finding.status == "fail"
	finding.resource == "aws_ses_domain_identity.example"
	contains(finding.message, "declared with the SES v1 resource")
	contains(finding.message, "aws_sesv2_email_identity_configuration_set_attributes")
	contains(finding.remediation, "aws_sesv2_email_identity_configuration_set_attributes")
}

test_v1_identity_with_a_default_from_its_attributes_resource_passes if {
	v1 := identity({"id": "aws_ses_domain_identity.example", "api": "v1"})
	count(check.findings) == 0 with input as {"identities": [v1]}
	count(check.checked) == 1 with input as {"identities": [v1]}
}

test_identity_that_cannot_send_is_not_judged if {
	pending := identity({"default_configuration_set_name": null, "default_configuration_set": null, "can_send": false, "cannot_send_reason": "verification PENDING"})
	count(check.findings) == 0 with input as {"identities": [pending]}
	count(check.checked) == 0 with input as {"identities": [pending]}
	sending := identity({"default_configuration_set_name": null, "default_configuration_set": null, "can_send": true})
	count(check.findings) == 1 with input as {"identities": [sending]}
}

test_v1_identity_with_v2_twin_is_judged_through_it if {
	v1 := identity({
		"id": "aws_ses_domain_identity.example", "api": "v1",
		"default_configuration_set_name": null, "default_configuration_set": null,
	})
	count(check.findings) == 0 with input as {"identities": [v1, identity({})]}
	other_region := identity({"region": "us-east-1"})
	count(check.findings) == 1 with input as {"identities": [v1, other_region]}
}

test_no_default_set_with_an_unread_module_is_unknown_naming_it if {
	bare := identity({"default_configuration_set_name": null, "default_configuration_set": null})
	unread := {"id": "module.mail", "reason": "source \"git::https://example.com/mail.git\" is not a local directory", "location": null}
	findings := check.findings with input as {"identities": [bare], "unread_modules": [unread]}
	count(findings) == 1
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "module.mail may declare its default configuration set")
}

test_default_set_passes_whatever_unread_modules_declare if {
	unread := {"id": "module.mail", "reason": "not a local directory", "location": null}
	count(check.findings) == 0 with input as {"identities": [identity({})], "unread_modules": [unread]}
}
