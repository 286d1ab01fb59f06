package sescheck.rules.cloudtrail.ct_007_test

import data.sescheck.rules.cloudtrail.ct_007 as check
import data.sescheck.rules.cloudtrail.fixtures_test as fx

test_key_created_in_the_same_plan_passes if {
	# kms_key_id is known only after apply, but the trail links to the aws_kms_key in the plan.
	trail := fx.trail({"kms_key_id": null, "kms_key": "aws_kms_key.trail", "unknown": {"kms_key_id": "known only after apply"}})
	count(check.findings) == 0 with input as fx.posture([trail])
	count(check.checked) == 1 with input as fx.posture([trail])
}

test_key_arn_passes if {
	trail := fx.trail({"kms_key_id": "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "kms_key": null})
	count(check.findings) == 0 with input as fx.posture([trail])
}

test_no_key_fails if {
	finding := fx.only_finding(check.findings) with input as fx.posture([fx.trail({"kms_key": null})])
	finding.status == "fail"
	finding.rule_id == "CT-007"
	finding.message == "trail main records SES activity without a KMS key (kms_key_id is not set)"
}

test_event_data_store_without_key_fails if {
	finding := fx.only_finding(check.findings) with input as fx.posture([fx.event_data_store({"kms_key": null})])
	finding.message == "event data store ses records SES activity without a KMS key (kms_key_id is not set)"
}

test_unknown_key_without_a_link_is_unknown if {
	trail := fx.trail({"kms_key": null, "unknown": {"kms_key_id": "variable var.kms_key_arn has no value"}})
	finding := fx.only_finding(check.findings) with input as fx.posture([trail])
	finding.status == "unknown"
	finding.message == "whether trail main has a KMS key is unknown: kms_key_id variable var.kms_key_arn has no value"
}
