package sescheck.rules.retention.rt_003_test

import data.sescheck.rules.retention.rt_003 as check

# An event data store with AWS's default selectors (all management events) records SES management events.
store(overrides) := object.union(
	{
		"id": "aws_cloudtrail_event_data_store.lake", "account": null, "region": "eu-west-1", "location": null, "unknown": {},
		"kind": "event_data_store", "name": "lake", "arn": null, "multi_region": true, "organization": false, "logging": true,
		"log_file_validation": null, "kms_key_id": null, "kms_key": null, "basic_event_selectors": [],
		"advanced_event_selectors": [{"name": "management", "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}]}],
		"s3_bucket_name": null, "s3_bucket": null, "log_group_arn": null, "log_group": null, "declared_in_settings": false,
		"retention_days": 400,
	},
	overrides,
)

identity := {
	"id": "aws_sesv2_email_identity.example", "account": null, "region": "eu-west-1", "location": null, "unknown": {},
	"identity": "example.com", "kind": "domain", "api": "v2", "default_configuration_set_name": null,
	"default_configuration_set": null, "notification_topics": [], "feedback_forwarding_enabled": true,
}

posture(stores) := {"trails": stores, "identities": [identity], "configuration_sets": []}

only(findings) := finding if {
	count(findings) == 1
	some finding in findings
}

test_retention_within_bounds_passes if {
	count(check.findings) == 0 with input as posture([store({})])
	count(check.checked) == 1 with input as posture([store({})])
}

test_default_retention_is_past_the_maximum if {
	finding := only(check.findings) with input as posture([store({"retention_days": 2555})])
	finding.status == "fail"
	finding.rule_id == "RT-003"
	finding.message == "event data store lake records SES activity and keeps its events 2555 days, more than the 540-day maximum"
}

test_short_retention_is_below_the_minimum if {
	finding := only(check.findings) with input as posture([store({"retention_days": 7})])
	finding.status == "fail"
	contains(finding.message, "keeps its events 7 days, fewer than the 35-day minimum")
}

test_bounds_are_settings if {
	count(check.findings) == 0 with input as posture([store({"retention_days": 2555})]) with data.settings.retention.max_days as null
}

test_unknown_retention_is_unknown if {
	finding := only(check.findings) with input as posture([store({"retention_days": null, "unknown": {"retention_days": "AccessDenied on cloudtrail:GetEventDataStore in eu-west-1"}})])
	finding.status == "unknown"
	contains(finding.message, "AccessDenied on cloudtrail:GetEventDataStore")
}

test_trails_and_stores_without_ses_are_not_judged if {
	trail := store({"id": "aws_cloudtrail.main", "kind": "trail", "retention_days": null})
	count(check.checked) == 0 with input as posture([trail])
	no_ses := store({"advanced_event_selectors": [{"name": "s3", "field_selectors": [{"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::S3::Object"]}]}]})
	count(check.checked) == 0 with input as posture([no_ses])
}
