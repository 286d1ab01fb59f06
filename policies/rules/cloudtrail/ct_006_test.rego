package sescheck.rules.cloudtrail.ct_006_test

import data.sescheck.rules.cloudtrail.ct_006 as check
import data.sescheck.rules.cloudtrail.fixtures_test as fx

test_validated_trail_passes if {
	count(check.findings) == 0 with input as fx.posture([fx.trail({})])
	count(check.checked) == 1 with input as fx.posture([fx.trail({})])
}

test_trail_without_validation_fails if {
	finding := fx.only_finding(check.findings) with input as fx.posture([fx.trail({"log_file_validation": false})])
	finding.status == "fail"
	finding.rule_id == "CT-006"
	finding.message == "trail main records SES activity without log file validation"
}

test_absent_validation_fails_as_the_default_false if {
	finding := fx.only_finding(check.findings) with input as fx.posture([fx.trail({"log_file_validation": null})])
	finding.status == "fail"
}

test_event_data_stores_are_not_judged if {
	count(check.checked) == 0 with input as fx.posture([fx.event_data_store({})])
	count(check.findings) == 0 with input as fx.posture([fx.event_data_store({})])
}

test_unknown_validation_is_unknown if {
	trail := fx.trail({"log_file_validation": null, "unknown": {"log_file_validation": "known only after apply"}})
	finding := fx.only_finding(check.findings) with input as fx.posture([trail])
	finding.status == "unknown"
	contains(finding.message, "known only after apply")
}
