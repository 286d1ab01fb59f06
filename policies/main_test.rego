package sescheck.main_test

import data.sescheck.main

optional_set := {"configuration_sets": [{
	"id": "aws_sesv2_configuration_set.main",
	"account": "111122223333",
	"region": "eu-west-1",
	"location": {"file": "main.tf.json", "line": 3},
	"unknown": {},
	"name": "main",
	"api": "v2",
	"tls_policy": "OPTIONAL",
	"event_destinations": [],
}]}

test_report_gathers_findings_with_their_rule_facts if {
	report := main.report with input as optional_set
	some finding in report.findings
	finding.rule_id == "CS-004"
	finding.severity == "medium"
	finding.title == "Configuration set requires TLS"
	finding.location == {"file": "main.tf.json", "line": 3}
	finding.account == "111122223333"
	finding.remediation != ""
}

test_report_lists_checked_targets_per_rule if {
	report := main.report with input as optional_set
	some rule in report.checked
	rule.rule_id == "CS-004"
	{"resource": "aws_sesv2_configuration_set.main", "region": "eu-west-1", "account": "111122223333", "location": {"file": "main.tf.json", "line": 3}} in rule.targets
}

test_report_lists_each_rule_once if {
	report := main.report with input as optional_set
	ids := [rule.rule_id | some rule in report.checked]
	count(ids) == count({id | some id in ids})
	count(ids) == count(main.catalog)
}

test_severity_override_from_settings if {
	report := main.report with input as optional_set with data.settings.severities as {"CS-004": "critical"}
	some finding in report.findings
	finding.rule_id == "CS-004"
	finding.severity == "critical"
	some rule in main.catalog with data.settings.severities as {"CS-004": "critical"}
	rule.id == "CS-004"
	rule.severity == "critical"
}

test_catalog_names_each_rule_group_from_its_package_path if {
	some rule in main.catalog
	rule.id == "CS-004"
	rule.group == "ses"
	some identity_rule in main.catalog
	identity_rule.id == "ID-001"
	identity_rule.group == "identity"
}

test_catalog_is_sorted_by_id if {
	ids := [rule.id | some rule in main.catalog]
	ids == sort(ids)
	"CS-004" in ids
}

test_scope_names_account_and_region if {
	scope := data.sescheck.lib.result.scope(null, "eu-west-1")
	scope.id == "aws://default/eu-west-1"
	data.sescheck.lib.result.scope("111122223333", "us-west-2").id == "aws://111122223333/us-west-2"
}
