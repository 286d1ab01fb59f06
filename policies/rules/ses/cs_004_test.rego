package sescheck.rules.ses.cs_004_test

import data.sescheck.rules.ses.cs_004 as check

configuration_set(overrides) := object.union(
	{
		"id": "aws_sesv2_configuration_set.main",
		"account": null,
		"region": "eu-west-1",
		"location": null,
		"unknown": {},
		"name": "main",
		"api": "v2",
		"tls_policy": "REQUIRE",
		"event_destinations": [],
	},
	overrides,
)

test_require_passes if {
	count(check.findings) == 0 with input as {"configuration_sets": [configuration_set({})]}
	count(check.checked) == 1 with input as {"configuration_sets": [configuration_set({})]}
}

test_optional_fails if {
	findings := check.findings with input as {"configuration_sets": [configuration_set({"tls_policy": "OPTIONAL"})]}
	some finding in findings
	finding.status == "fail"
	finding.rule_id == "CS-004"
	finding.resource == "aws_sesv2_configuration_set.main"
	contains(finding.message, "OPTIONAL")
}

test_not_set_fails_as_ses_default_optional if {
	findings := check.findings with input as {"configuration_sets": [configuration_set({"tls_policy": null})]}
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "SES default OPTIONAL")
}

test_unknown_policy_is_unknown_not_fail if {
	unknown_set := configuration_set({"tls_policy": null, "unknown": {"tls_policy": "known only after apply"}})
	findings := check.findings with input as {"configuration_sets": [unknown_set]}
	count(findings) == 1
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "known only after apply")
}
