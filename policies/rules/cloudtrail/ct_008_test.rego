package sescheck.rules.cloudtrail.ct_008_test

import data.sescheck.rules.cloudtrail.ct_008 as check
import data.sescheck.rules.cloudtrail.fixtures_test as fx

with_bucket(bucket, account_blocks) := object.union(fx.posture([fx.trail({})]), {
	"s3_buckets": [bucket],
	"account_public_access_blocks": account_blocks,
})

one_open := object.union(fx.all_blocked, {"block_public_policy": false})

test_bucket_blocking_public_access_passes if {
	count(check.findings) == 0 with input as fx.posture([fx.trail({})])
	{target.resource | some target in check.checked} == {"aws_s3_bucket.trail"} with input as fx.posture([fx.trail({})])
}

test_new_bucket_without_a_block_gets_the_s3_default if {
	bucket := fx.bucket({"public_access_block": null, "public_access_block_source": "s3_default"})
	count(check.findings) == 0 with input as with_bucket(bucket, [])
}

test_a_setting_off_on_bucket_and_account_fails if {
	bucket := fx.bucket({"public_access_block": one_open})
	finding := fx.only_finding(check.findings) with input as with_bucket(bucket, [])
	finding.status == "fail"
	finding.rule_id == "CT-008"
	finding.resource == "aws_s3_bucket.trail"
	finding.message == "S3 bucket trail-logs of trail main allows public access: block_public_policy is off on the bucket and on the account"
}

test_the_account_block_covers_the_bucket if {
	bucket := fx.bucket({"public_access_block": one_open})
	count(check.findings) == 0 with input as with_bucket(bucket, [fx.account_block(null, fx.all_blocked)])
}

test_the_bucket_block_covers_a_weaker_account_block if {
	account := object.union(fx.all_blocked, {"restrict_public_buckets": false})
	count(check.findings) == 0 with input as with_bucket(fx.bucket({}), [fx.account_block(null, account)])
}

test_live_bucket_without_configuration_falls_back_to_the_account if {
	bucket := fx.bucket({"public_access_block": null, "public_access_block_source": null, "account": "111122223333"})
	finding := fx.only_finding(check.findings) with input as with_bucket(bucket, [])
	contains(finding.message, "block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets are off")
	count(check.findings) == 0 with input as with_bucket(bucket, [fx.account_block("111122223333", fx.all_blocked)])
	other_account := fx.account_block("444455556666", fx.all_blocked)
	count(check.findings) == 1 with input as with_bucket(bucket, [other_account])
}

# A central log-archive bucket lives in another account: this account's block says nothing of it.
test_bucket_not_in_the_input_is_unknown_even_with_the_account_block if {
	trail := fx.trail({"s3_bucket": null, "s3_bucket_name": "org-trail-logs"})
	posture := object.union(fx.posture([trail]), {"s3_buckets": []})
	finding := fx.only_finding(check.findings) with input as posture
	finding.status == "unknown"
	finding.resource == "aws_cloudtrail.main"
	contains(finding.message, "S3 bucket org-trail-logs of trail main")
	contains(finding.message, "the bucket is not in the input")
	blocked := object.union(posture, {"account_public_access_blocks": [fx.account_block(null, fx.all_blocked)]})
	blocked_finding := fx.only_finding(check.findings) with input as blocked
	blocked_finding.status == "unknown"
}

test_live_bucket_whose_owner_is_unknown_is_unknown_with_the_account_block if {
	bucket := fx.bucket({
		"public_access_block": null, "public_access_block_source": null, "account": null,
		"unknown": {"account": "s3:GetBucketLocation in us-east-1 was denied (AccessDenied)"},
	})
	finding := fx.only_finding(check.findings) with input as with_bucket(bucket, [fx.account_block("111122223333", fx.all_blocked)])
	finding.status == "unknown"
	contains(finding.message, "whether the bucket (an unnamed account (s3:GetBucketLocation in us-east-1 was denied (AccessDenied))) is in the account of aws_s3_account_public_access_block.this (account 111122223333) is unknown")
}

test_account_block_of_a_named_account_is_unknown_for_an_unnamed_bucket if {
	bucket := fx.bucket({"public_access_block": one_open})
	finding := fx.only_finding(check.findings) with input as with_bucket(bucket, [fx.account_block("111122223333", fx.all_blocked)])
	finding.status == "unknown"
	fail_finding := fx.only_finding(check.findings) with input as with_bucket(bucket, [fx.account_block("111122223333", one_open)])
	fail_finding.status == "fail"
}

test_unknown_bucket_setting_is_unknown if {
	bucket := fx.bucket({
		"public_access_block": object.union(fx.all_blocked, {"ignore_public_acls": null}),
		"unknown": {"public_access_block.ignore_public_acls": "variable var.ignore has no value"},
	})
	finding := fx.only_finding(check.findings) with input as with_bucket(bucket, [])
	finding.status == "unknown"
	contains(finding.message, "public_access_block.ignore_public_acls: variable var.ignore has no value")
}

test_a_false_setting_fails_even_when_another_is_unknown if {
	bucket := fx.bucket({
		"public_access_block": object.union(one_open, {"ignore_public_acls": null}),
		"unknown": {"public_access_block.ignore_public_acls": "known only after apply"},
	})
	finding := fx.only_finding(check.findings) with input as with_bucket(bucket, [])
	finding.status == "fail"
}

test_event_data_stores_have_no_bucket if {
	count(check.checked) == 0 with input as fx.posture([fx.event_data_store({})])
}

test_uncounted_trail_bucket_is_not_judged if {
	s3_only := fx.trail({"advanced_event_selectors": [fx.ses_selector("AWS::S3::Object", [])]})
	count(check.checked) == 0 with input as with_bucket(fx.bucket({"public_access_block": one_open}), [])
		with input.trails as [s3_only]
}

test_unknown_account_block_is_unknown if {
	block := object.union(fx.account_block(null, object.union(fx.all_blocked, {"block_public_policy": null})), {"unknown": {"settings.block_public_policy": "known only after apply"}})
	finding := fx.only_finding(check.findings) with input as with_bucket(fx.bucket({"public_access_block": one_open}), [block])
	finding.status == "unknown"
	contains(finding.message, "account public access block settings.block_public_policy: known only after apply")
}

test_unknown_bucket_name_is_unknown if {
	trail := fx.trail({"s3_bucket": null, "unknown": {"s3_bucket_name": "variable var.bucket has no value"}})
	finding := fx.only_finding(check.findings) with input as object.union(fx.posture([trail]), {"s3_buckets": []})
	finding.message == "whether S3 bucket (name unknown) of trail main blocks public access is unknown: the trail's bucket is unknown (s3_bucket_name: variable var.bucket has no value)"
}

test_bucket_without_a_name_is_named_by_its_address if {
	bucket := fx.bucket({"name": null, "unknown": {"name": "known only after apply"}, "public_access_block": one_open})
	finding := fx.only_finding(check.findings) with input as with_bucket(bucket, [])
	startswith(finding.message, "S3 bucket aws_s3_bucket.trail of trail main allows public access")
}
