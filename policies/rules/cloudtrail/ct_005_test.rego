package sescheck.rules.cloudtrail.ct_005_test

import data.sescheck.rules.cloudtrail.ct_005 as check
import data.sescheck.rules.cloudtrail.fixtures_test as fx

test_logging_trail_passes if {
	count(check.findings) == 0 with input as fx.posture([fx.trail({})])
	check.checked == {{
		"resource": "aws_cloudtrail.main",
		"region": "eu-west-1",
		"account": null,
		"location": {"file": "main.tf.json", "line": 12},
	}} with input as fx.posture([fx.trail({})])
}

test_stopped_trail_fails if {
	finding := fx.only_finding(check.findings) with input as fx.posture([fx.trail({"logging": false})])
	finding.status == "fail"
	finding.rule_id == "CT-005"
	finding.resource == "aws_cloudtrail.main"
	finding.location == {"file": "main.tf.json", "line": 12}
	finding.message == "trail main records SES activity but is not logging"
}

test_stopped_event_data_store_fails if {
	finding := fx.only_finding(check.findings) with input as fx.posture([fx.event_data_store({"logging": false})])
	finding.message == "event data store ses records SES activity but is not logging"
}

test_trail_counted_for_management_events_only_is_judged if {
	management_only := fx.trail({"advanced_event_selectors": [], "logging": false})
	finding := fx.only_finding(check.findings) with input as fx.posture([management_only])
	finding.status == "fail"
}

test_trail_not_counted_is_not_judged if {
	# Records S3 data events only: neither SES sends nor management events.
	s3_only := fx.trail({"advanced_event_selectors": [fx.ses_selector("AWS::S3::Object", [])], "logging": false})
	count(check.findings) == 0 with input as fx.posture([s3_only])
	count(check.checked) == 0 with input as fx.posture([s3_only])
}

test_trail_covering_no_place_in_scope_for_management_events_is_not_judged if {
	elsewhere := fx.trail({"region": "us-east-1", "multi_region": false, "advanced_event_selectors": [], "logging": false})
	count(check.checked) == 0 with input as fx.posture([elsewhere])
}

test_unknown_logging_is_unknown if {
	trail := fx.trail({"logging": null, "unknown": {"logging": "variable var.enabled has no value"}})
	finding := fx.only_finding(check.findings) with input as fx.posture([trail])
	finding.status == "unknown"
	finding.message == "whether trail main is logging is unknown: variable var.enabled has no value"
}

# Records SES sends, but in a region out of scope only: it records nothing CT-001 counts.
test_trail_recording_sends_in_no_place_in_scope_is_not_judged if {
	elsewhere := fx.trail({"id": "aws_cloudtrail.use1", "name": "use1", "region": "us-east-1", "multi_region": false, "logging": false})
	count(check.findings) == 0 with input as fx.posture([fx.trail({}), elsewhere])
	{target.resource | some target in check.checked} == {"aws_cloudtrail.main"} with input as fx.posture([fx.trail({}), elsewhere])
}

test_trail_recording_sends_whose_coverage_is_unknown_is_judged if {
	maybe := fx.trail({"region": "us-east-1", "multi_region": null, "unknown": {"multi_region": "variable var.multi has no value"}, "logging": false})
	finding := fx.only_finding(check.findings) with input as fx.posture([maybe])
	finding.status == "fail"
}

test_trail_recording_management_events_whose_coverage_is_unknown_is_judged if {
	maybe := fx.trail({
		"region": "us-east-1", "multi_region": null, "unknown": {"multi_region": "variable var.multi has no value"},
		"advanced_event_selectors": [], "logging": false,
	})
	finding := fx.only_finding(check.findings) with input as fx.posture([maybe])
	finding.status == "fail"
}

# A trail that may be in the place's account (its account cannot be told) is judged: it may be the one that records.
test_trail_whose_account_cannot_be_told_is_judged if {
	sends_only := fx.trail({"logging": false, "advanced_event_selectors": [fx.ses_selector("AWS::SES::EmailIdentity", [])]})
	posture := object.union(fx.posture([sends_only]), {"identities": [fx.identity({"account": "111122223333"})], "configuration_sets": []})
	finding := fx.only_finding(check.findings) with input as posture
	finding.status == "fail"
	other := object.union(posture, {"trails": [object.union(sends_only, {"account": "444455556666"})]})
	count(check.checked) == 0 with input as other
}

test_trail_whose_bucket_does_not_exist_fails_naming_it if {
	trail := {
		"id": "arn:aws:cloudtrail:eu-west-1:111122223333:trail/main", "account": "111122223333", "region": "eu-west-1", "location": null, "unknown": {},
		"kind": "trail", "name": "main", "arn": "arn:aws:cloudtrail:eu-west-1:111122223333:trail/main", "multi_region": true,
		"organization": false, "logging": true, "log_file_validation": true, "kms_key_id": null, "kms_key": null, "basic_event_selectors": [],
		"advanced_event_selectors": [], "s3_bucket_name": "gone-logs", "s3_bucket": "arn:aws:s3:::gone-logs",
		"log_group_arn": null, "log_group": null, "declared_in_settings": false,
	}
	gone := {
		"id": "arn:aws:s3:::gone-logs", "account": "111122223333", "region": null, "location": null, "unknown": {},
		"name": "gone-logs", "arn": "arn:aws:s3:::gone-logs", "lifecycle_rules": [], "public_access_block": null,
		"public_access_block_source": null, "exists": false,
	}
	findings := check.findings with input as {"trails": [trail], "s3_buckets": [gone]} with data.settings.cloudtrail.regions as ["eu-west-1"]
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "its S3 bucket gone-logs does not exist")
}
