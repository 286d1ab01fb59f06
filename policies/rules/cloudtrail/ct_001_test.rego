package sescheck.rules.cloudtrail.ct_001_test

import data.sescheck.rules.cloudtrail.ct_001 as check
import data.sescheck.rules.cloudtrail.fixtures_test as fx

identity_type := "AWS::SES::EmailIdentity"

fail_message(posture) := finding.message if {
	finding := fx.only_finding(check.findings) with input as posture
	finding.status == "fail"
	finding.rule_id == "CT-001"
}

unknown_message(posture) := finding.message if {
	finding := fx.only_finding(check.findings) with input as posture
	finding.status == "unknown"
}

# The SES identity selector with extra conditions, as the only data selector of the trail.
with_extra(extra) := fx.posture([fx.with_identity_selectors([fx.ses_selector(identity_type, extra)])])

test_documented_selector_passes if {
	count(check.findings) == 0 with input as fx.posture([fx.trail({})])
	check.checked == {{
		"resource": "aws://default/eu-west-1",
		"region": "eu-west-1",
		"account": null,
		"location": null,
	}} with input as fx.posture([fx.trail({})])
}

test_event_data_store_counts if {
	count(check.findings) == 0 with input as fx.posture([fx.event_data_store({})])
}

test_read_only_false_drops_every_send if {
	message := fail_message(with_extra([{"field": "readOnly", "equals": ["false"]}]))
	contains(message, "SES sends in eu-west-1 are not recorded")
	contains(message, `selector "SES AWS::SES::EmailIdentity": readOnly Equals [false] excludes sends (CloudTrail records them with readOnly true)`)
}

test_read_only_true_keeps_sends if {
	count(check.findings) == 0 with input as with_extra([{"field": "readOnly", "equals": ["true"]}])
}

test_event_name_subset_names_the_dropped_apis if {
	message := fail_message(with_extra([{"field": "eventName", "equals": ["SendEmail"]}]))
	contains(message, "eventName Equals [SendEmail] excludes SendBulkEmail, SendBulkTemplatedEmail, SendRawEmail, SendTemplatedEmail")
}

test_event_name_listing_every_v1_and_v2_send_api_passes if {
	every_api := ["SendEmail", "SendRawEmail", "SendTemplatedEmail", "SendBulkTemplatedEmail", "SendBulkEmail"]
	count(check.findings) == 0 with input as with_extra([{"field": "eventName", "equals": every_api}])
}

test_event_name_without_v2_send_bulk_email_fails if {
	v1_only := ["SendEmail", "SendRawEmail", "SendTemplatedEmail", "SendBulkTemplatedEmail"]
	message := fail_message(with_extra([{"field": "eventName", "equals": v1_only}]))
	endswith(message, "excludes SendBulkEmail")
}

test_event_name_starts_with_send_passes if {
	count(check.findings) == 0 with input as with_extra([{"field": "eventName", "starts_with": ["Send"]}])
}

test_event_name_not_equals_a_send_api_fails if {
	message := fail_message(with_extra([{"field": "eventName", "not_equals": ["SendRawEmail"]}]))
	contains(message, "eventName NotEquals [SendRawEmail] excludes SendRawEmail")
}

test_event_name_not_equals_another_api_passes if {
	count(check.findings) == 0 with input as with_extra([{"field": "eventName", "not_equals": ["GetSendQuota"]}])
}

test_not_ends_with_and_ends_with if {
	message := fail_message(with_extra([{"field": "eventName", "not_ends_with": ["RawEmail", "Quota"]}]))
	endswith(message, "eventName NotEndsWith [RawEmail, Quota] excludes SendRawEmail")
	count(check.findings) == 0 with input as with_extra([{"field": "eventName", "ends_with": ["Email"]}])
}

test_positive_and_negative_operators_in_one_field_selector_are_anded if {
	condition := {"field": "eventName", "starts_with": ["Send"], "not_equals": ["SendBulkEmail"]}
	message := fail_message(with_extra([condition]))
	contains(message, "eventName NotEquals [SendBulkEmail] StartsWith [Send] excludes SendBulkEmail")
}

test_selectors_are_ored if {
	first := fx.ses_selector(identity_type, [{"field": "eventName", "equals": ["SendEmail", "SendRawEmail"]}])
	second := fx.ses_selector(identity_type, [{"field": "eventName", "equals": ["SendTemplatedEmail", "SendBulkTemplatedEmail", "SendBulkEmail"]}])
	count(check.findings) == 0 with input as fx.posture([fx.with_identity_selectors([first, second])])
}

test_event_source_must_keep_ses if {
	count(check.findings) == 0 with input as with_extra([{"field": "eventSource", "equals": ["ses.amazonaws.com"]}])
	message := fail_message(with_extra([{"field": "eventSource", "not_equals": ["ses.amazonaws.com"]}]))
	contains(message, "eventSource NotEquals [ses.amazonaws.com] excludes ses.amazonaws.com")
}

test_other_resource_type_only_fails if {
	message := fail_message(fx.posture([fx.with_identity_selectors([fx.ses_selector("AWS::S3::Object", [])])]))
	contains(message, "no advanced event selector selects eventCategory Data and resources.type AWS::SES::EmailIdentity")
}

test_basic_selectors_never_record_sends if {
	legacy := fx.trail({"advanced_event_selectors": [], "basic_event_selectors": [fx.basic_selector({})]})
	message := fail_message(fx.posture([legacy]))
	contains(message, "trail main: it uses basic (legacy) event selectors, which cannot select SES data events")
}

test_trail_without_selectors_records_no_data_events if {
	message := fail_message(fx.posture([fx.trail({"advanced_event_selectors": []})]))
	contains(message, "it has no advanced event selectors, so it records management events only")
}

test_no_trail_at_all if {
	message := fail_message(fx.posture([]))
	contains(message, "no trail or event data store of this account is in the input")
}

test_condition_on_the_caller_drops_some_sends if {
	message := fail_message(with_extra([{"field": "userIdentity.arn", "not_starts_with": ["arn:aws:iam::111122223333:role/batch"]}]))
	contains(message, "userIdentity.arn NotStartsWith [arn:aws:iam::111122223333:role/batch] keeps only some sends")
}

test_one_good_trail_is_enough if {
	legacy := fx.trail({"id": "aws_cloudtrail.legacy", "advanced_event_selectors": [], "basic_event_selectors": [fx.basic_selector({})]})
	count(check.findings) == 0 with input as fx.posture([legacy, fx.trail({})])
}

test_region_coverage_is_left_to_ct_004 if {
	elsewhere := fx.trail({"multi_region": false, "region": "us-east-1"})
	count(check.findings) == 0 with input as fx.posture([elsewhere])
}

# --- resources.ARN ---

account_posture(account, extra) := object.union(with_extra(extra), {
	"trails": [object.union(trail, {"account": account}) | some trail in with_extra(extra).trails],
	"identities": [fx.identity({"account": account})],
	"configuration_sets": [],
})

identity_prefix := "arn:aws:ses:eu-west-1:111122223333:identity/"

test_arn_starts_with_the_account_prefix_covers_the_identity if {
	count(check.findings) == 0 with input as account_posture("111122223333", [{"field": "resources.ARN", "starts_with": [identity_prefix]}])
}

test_arn_starts_with_another_account_fails if {
	other := "arn:aws:ses:eu-west-1:444455556666:identity/"
	message := fail_message(account_posture("111122223333", [{"field": "resources.ARN", "starts_with": [other]}]))
	contains(message, "excludes arn:aws:ses:eu-west-1:111122223333:identity/example.com")
}

test_arn_starts_with_and_account_not_in_the_plan_is_unknown if {
	message := unknown_message(account_posture(null, [{"field": "resources.ARN", "starts_with": [identity_prefix]}]))
	contains(message, "arn:aws:ses:eu-west-1:<account>:identity/example.com (the account is not in the input)")
}

test_arn_of_another_region_fails_even_without_the_account if {
	message := fail_message(account_posture(null, [{"field": "resources.ARN", "starts_with": ["arn:aws:ses:us-east-1:"]}]))
	contains(message, "StartsWith [arn:aws:ses:us-east-1:] excludes arn:aws:ses:eu-west-1:<account>:identity/example.com")
}

test_arn_of_another_identity_fails_even_without_the_account if {
	other := concat("", [identity_prefix, "news.example.com"])
	message := fail_message(account_posture(null, [{"field": "resources.ARN", "equals": [other]}]))
	contains(message, "excludes arn:aws:ses:eu-west-1:<account>:identity/example.com")
}

test_arn_ends_with_the_identity_is_decided_without_the_account if {
	condition := {"field": "resources.ARN", "ends_with": [":identity/example.com"]}
	count(check.findings) == 0 with input as account_posture(null, [condition])
}

test_arn_equals_must_list_every_identity if {
	second := fx.identity({"id": "aws_sesv2_email_identity.news", "identity": "news.example.com", "account": "111122223333"})
	condition := {"field": "resources.ARN", "equals": [concat("", [identity_prefix, "example.com"])]}
	posture := object.union(account_posture("111122223333", [condition]), {"identities": [
		fx.identity({"account": "111122223333"}),
		second,
	]})
	message := fail_message(posture)
	contains(message, "excludes arn:aws:ses:eu-west-1:111122223333:identity/news.example.com")
	not contains(message, "excludes arn:aws:ses:eu-west-1:111122223333:identity/example.com")
}

test_arn_not_starts_with_an_identity_drops_it if {
	condition := {"field": "resources.ARN", "not_starts_with": [concat("", [identity_prefix, "example.com"])]}
	message := fail_message(account_posture("111122223333", [condition]))
	contains(message, "NotStartsWith")
}

test_arn_condition_without_identities_in_the_input_is_unknown if {
	posture := object.union(
		with_extra([{"field": "resources.ARN", "starts_with": [identity_prefix]}]),
		{"identities": [], "configuration_sets": []},
	)
	message := unknown_message(posture) with data.settings.cloudtrail.regions as ["eu-west-1"]
	contains(message, "which of these resources exist is not in the input")
}

test_china_partition if {
	posture := object.union(
		with_extra([{"field": "resources.ARN", "starts_with": ["arn:aws:ses:"]}]),
		{"identities": [fx.identity({"region": "cn-north-1"})], "configuration_sets": []},
	)
	message := fail_message(posture)
	contains(message, "excludes arn:aws-cn:ses:cn-north-1:<account>:identity/example.com")
}

# --- unknown values ---

test_unknown_field_selector_value_is_unknown if {
	condition := {"field": "eventName", "unknown": {"equals": "variable var.send_apis has no value"}}
	message := unknown_message(with_extra([condition]))
	contains(message, "eventName condition is unknown (equals: variable var.send_apis has no value)")
}

# A selector's name does not change what it records: an unknown name hides neither a pass nor a fail.
unnamed(selector) := object.union(selector, {"name": null, "unknown": {"name": "expression not evaluated: ${format(\"%s-ses\", local.env)}"}})

test_unknown_selector_name_still_fails_when_a_condition_drops_sends if {
	selector := unnamed(fx.ses_selector(identity_type, [{"field": "readOnly", "equals": ["false"]}]))
	message := fail_message(fx.posture([fx.with_identity_selectors([selector])]))
	contains(message, "selector #2: readOnly Equals [false] excludes sends")
}

test_unknown_selector_name_still_passes if {
	selector := unnamed(fx.ses_selector(identity_type, []))
	count(check.findings) == 0 with input as fx.posture([fx.with_identity_selectors([selector])])
}

test_unknown_selectors_are_unknown if {
	trail := fx.trail({"advanced_event_selectors": [], "unknown": {"advanced_event_selectors": "known only after apply"}})
	message := unknown_message(fx.posture([trail]))
	contains(message, "its advanced event selectors are unknown (known only after apply)")
}

test_unknown_is_not_reported_when_another_trail_records if {
	unknown_trail := fx.trail({
		"id": "aws_cloudtrail.other",
		"advanced_event_selectors": [],
		"unknown": {"advanced_event_selectors": "known only after apply"},
	})
	count(check.findings) == 0 with input as fx.posture([unknown_trail, fx.trail({})])
}

# --- scope ---

test_settings_regions_add_places if {
	places := {target.resource | some target in check.checked} with input as fx.posture([fx.trail({})])
		with data.settings.cloudtrail.regions as ["eu-west-1", "us-west-2"]
	places == {"aws://default/eu-west-1", "aws://default/us-west-2"}
}

test_trail_only_workspace_is_checked_in_the_trails_regions if {
	workspace := {"trails": [fx.trail({"region": "us-east-1"})], "identities": [], "configuration_sets": []}
	{target.resource | some target in check.checked} == {"aws://default/us-east-1"} with input as workspace
}

test_nothing_in_scope_checks_nothing if {
	count(check.checked) == 0 with input as {"trails": [], "identities": [], "configuration_sets": []}
}

test_trail_of_another_account_does_not_count if {
	posture := object.union(fx.posture([fx.trail({"account": "444455556666"})]), {
		"identities": [fx.identity({"account": "111122223333"})],
		"configuration_sets": [],
	})
	finding := fx.only_finding(check.findings) with input as posture
	finding.resource == "aws://111122223333/eu-west-1"
	finding.account == "111122223333"
	finding.status == "fail"
}

organization_posture(trail) := object.union(fx.posture([object.union(fx.trail({"account": "444455556666", "organization": true}), trail)]), {
	"identities": [fx.identity({"account": "111122223333"})],
	"configuration_sets": [],
})

test_organization_trail_counts_for_member_accounts if {
	count(check.findings) == 0 with input as organization_posture({"organization_member_accounts": ["111122223333"]})
	count(check.findings) == 0 with input as organization_posture({"account": null, "declared_in_settings": true})
}

test_organization_trail_without_membership_is_unknown if {
	message := unknown_message(organization_posture({}))
	contains(message, "trail main is an organization trail of account 444455556666; whether account 111122223333 is a member is not in the input")
}

test_trail_of_an_unnamed_account_is_unknown_for_a_named_one if {
	posture := object.union(fx.posture([fx.trail({})]), {"identities": [fx.identity({"account": "111122223333"})], "configuration_sets": []})
	message := unknown_message(posture)
	contains(message, "whether trail main (the input's unnamed account) is in the account of eu-west-1 (account 111122223333) is unknown")
}

test_provider_with_credentials_of_its_own_is_another_place if {
	doubt := {"account": "provider configuration aws.prod uses credentials of its own (profile) and does not name their account"}
	posture := object.union(fx.posture([fx.trail({})]), {
		"identities": [fx.identity({}), fx.identity({"id": "aws_sesv2_email_identity.prod", "unknown": doubt})],
		"configuration_sets": [],
	})
	finding := fx.only_finding(check.findings) with input as posture
	finding.status == "unknown"
	finding.resource == sprintf("aws://default/eu-west-1 (%s)", [doubt.account])
}

test_resource_with_unknown_region_is_its_own_place if {
	identity := fx.identity({"region": null, "unknown": {"region": "provider aws.ses has no region"}})
	posture := {"trails": [fx.trail({})], "identities": [identity], "configuration_sets": []}
	{target.resource | some target in check.checked} == {"aws_sesv2_email_identity.example"} with input as posture
	count(check.findings) == 0 with input as posture
	message := unknown_message(object.union(posture, {"trails": [fx.with_identity_selectors([fx.ses_selector(
		identity_type,
		[{"field": "resources.ARN", "starts_with": ["arn:aws:ses:eu-west-1:"]}],
	)])]}))
	contains(message, "the region is unknown (provider aws.ses has no region)")
}

test_a_long_list_of_dropped_identities_names_the_first_ten if {
	identities := [fx.identity({"id": sprintf("aws_sesv2_email_identity.i%d", [n]), "identity": sprintf("i%d.example.com", [n])}) |
		some n in numbers.range(10, 21)
	]
	posture := object.union(with_extra([{"field": "resources.ARN", "starts_with": ["arn:aws:ses:us-east-1:"]}]), {"identities": identities})
	message := fail_message(posture)
	contains(message, "identity/i19.example.com and 2 more")
	not contains(message, "i20.example.com")
}

test_unknown_selector_is_unknown if {
	computed := {"name": "computed", "field_selectors": [], "unknown": {"field_selectors": "expression not evaluated: ${local.selectors}"}}
	message := unknown_message(fx.posture([fx.with_identity_selectors([computed])]))
	contains(message, `selector "computed" is unknown (field_selectors: expression not evaluated: ${local.selectors})`)
}

# An event data store that sets no selectors has AWS's default: management events, no data events.
test_event_data_store_with_aws_default_selectors_fails if {
	message := fail_message(fx.posture([fx.event_data_store({"advanced_event_selectors": []})]))
	contains(message, "event data store ses: it has no advanced event selectors, so it records management events only")
}

test_no_trail_with_an_unread_module_is_unknown_naming_it if {
	message := unknown_message(fx.with_unread_module(fx.posture([])))
	contains(message, "module.audit may declare a trail or event data store that records them: sescheck cannot read it")
}

test_failing_trail_with_an_unread_module_is_unknown_and_says_what_it_lacks if {
	message := unknown_message(fx.with_unread_module(fx.posture([fx.trail({"advanced_event_selectors": []})])))
	contains(message, "module.audit may declare")
	contains(message, "it has no advanced event selectors")
}

test_a_recording_trail_passes_whatever_unread_modules_declare if {
	count(check.findings) == 0 with input as fx.with_unread_module(fx.posture([fx.trail({})]))
}
