package sescheck.lib.cloudtrail_test

import data.sescheck.lib.cloudtrail
import data.sescheck.rules.cloudtrail.fixtures_test as fx

live_place := {"account": "111122223333", "region": "us-gov-west-1", "region_unknown": null}

plan_place := {"account": null, "region": "eu-west-1", "region_unknown": null}

test_exact_arn_in_the_gov_cloud_partition if {
	arn := cloudtrail.arn_pattern(live_place, "identity/", "example.com", {}, "identity")
	arn.exact
	arn.text == "arn:aws-us-gov:ses:us-gov-west-1:111122223333:identity/example.com"
	cloudtrail.value_matches("equals", arn.text, arn) == "yes"
	cloudtrail.value_matches("equals", "arn:aws:ses:us-gov-west-1:111122223333:identity/example.com", arn) == "no"
	cloudtrail.value_matches("ends_with", "/example.com", arn) == "yes"
	cloudtrail.value_matches("ends_with", "/other.com", arn) == "no"
}

test_arn_with_the_account_unknown if {
	arn := cloudtrail.arn_pattern(plan_place, "identity/", "example.com", {}, "identity")
	not arn.exact
	arn.prefix == "arn:aws:ses:eu-west-1:"
	arn.suffix == ":identity/example.com"
	arn.reason == "the account is not in the input"
	cloudtrail.value_matches("equals", "arn:aws:ses:eu-west-1:111122223333:identity/example.com", arn) == "unknown"
	cloudtrail.value_matches("equals", "arn:aws:ses:eu-west-1:111122223333:identity/other.com", arn) == "no"
	cloudtrail.value_matches("starts_with", "arn:aws:ses:", arn) == "yes"
	cloudtrail.value_matches("starts_with", "arn:aws:ses:eu-west-1:1", arn) == "unknown"
	cloudtrail.value_matches("starts_with", "arn:aws:ses:us-east-1:", arn) == "no"
	cloudtrail.value_matches("ends_with", "identity/example.com", arn) == "yes"
	cloudtrail.value_matches("ends_with", "3:identity/example.com", arn) == "unknown"
	cloudtrail.value_matches("ends_with", "identity/other.com", arn) == "no"
}

test_arn_with_the_identity_unknown if {
	arn := cloudtrail.arn_pattern(live_place, "identity/", null, {"identity": "known only after apply"}, "identity")
	arn.reason == "the identity is unknown (known only after apply)"
	arn.text == "arn:aws-us-gov:ses:us-gov-west-1:111122223333:identity/<name>"
	cloudtrail.value_matches("ends_with", ".com", arn) == "unknown"
}

# A value whose fixed parts differ cannot match, whatever the unknown account is.
test_fixed_parts_decide_without_the_account if {
	arn := cloudtrail.arn_pattern(plan_place, "identity/", "example.com", {}, "identity")
	cloudtrail.value_matches("starts_with", "arn:aws:ses:eu-west-1:111122223333:identity/other", arn) == "no"
	cloudtrail.value_matches("starts_with", "arn:aws:ses:eu-west-1:111122223333:identity/exa", arn) == "unknown"
	cloudtrail.value_matches("starts_with", "arn:aws:ses:eu-west-1:111122223333:configuration-set/", arn) == "no"
	cloudtrail.value_matches("starts_with", "arn:aws:ses:eu-west-1:1111:identity/", arn) == "no"
	cloudtrail.value_matches("starts_with", "arn:aws-us-gov:ses:eu-west-1:", arn) == "no"
	cloudtrail.value_matches("starts_with", "arn:aws:sesv2:eu-west-1:", arn) == "no"
	cloudtrail.value_matches("equals", "arn:aws:ses:eu-west-1:12345:identity/example.com", arn) == "no"
	cloudtrail.value_matches("ends_with", "111122223333:identity/other.com", arn) == "no"
	cloudtrail.value_matches("ends_with", "west-1:111122223333:identity/example.com", arn) == "unknown"
	cloudtrail.value_matches("ends_with", "east-1:111122223333:identity/example.com", arn) == "no"
}

test_fixed_parts_between_two_unknown_parts_decide if {
	arn := cloudtrail.arn_pattern(plan_place, "identity/", null, {"identity": "known only after apply"}, "identity")
	arn.text == "arn:aws:ses:eu-west-1:<account>:identity/<name>"
	cloudtrail.value_matches("starts_with", "arn:aws:ses:eu-west-1:111122223333:template/", arn) == "no"
	cloudtrail.value_matches("starts_with", "arn:aws:ses:eu-west-1:111122223333:identity/a.", arn) == "unknown"
	cloudtrail.value_matches("equals", "arn:aws:ses:eu-west-1:111122223333:identity/", arn) == "no"
}

test_regex_characters_in_names_are_literal if {
	arn := cloudtrail.arn_pattern(plan_place, "identity/", "a+b@example.com", {}, "identity")
	cloudtrail.value_matches("equals", "arn:aws:ses:eu-west-1:111122223333:identity/a+b@example.com", arn) == "unknown"
	cloudtrail.value_matches("equals", "arn:aws:ses:eu-west-1:111122223333:identity/aab@exampleXcom", arn) == "no"
}

test_unknown_region_and_partition if {
	place := {"account": "111122223333", "region": null, "region_unknown": "no region", "subject": {"id": "x"}}
	arn := cloudtrail.arn_pattern(place, "identity/", "example.com", {}, "identity")
	arn.text == "arn:<partition>:ses:<region>:111122223333:identity/example.com"
	cloudtrail.value_matches("starts_with", "arn:aws-cn:ses:cn-north-1:111122223333:identity/", arn) == "unknown"
	cloudtrail.value_matches("starts_with", "arn:aws-cn:ses:cn-north-1:444455556666:identity/", arn) == "no"
	cloudtrail.value_matches("starts_with", "arn:aws-cn:ses:cn-north-1:111122223333:identity/other", arn) == "no"
}

test_negative_operators_must_all_hold if {
	field := cloudtrail.known("SendEmail", "SendEmail")
	cloudtrail.field_answer({"field": "eventName", "not_equals": ["SendRawEmail", "SendBulkEmail"]}, field) == "yes"
	cloudtrail.field_answer({"field": "eventName", "not_equals": ["SendRawEmail", "SendEmail"]}, field) == "no"
	cloudtrail.field_answer({"field": "eventName", "equals": ["SendRawEmail"], "starts_with": ["Send"]}, field) == "yes"
}

test_unnamed_selectors_are_numbered if {
	reads_only := {"name": null, "field_selectors": [
		{"field": "eventCategory", "equals": ["Management"]},
		{"field": "readOnly", "equals": ["true"]},
	]}
	trail := fx.trail({"name": null, "advanced_event_selectors": [fx.ses_selector("AWS::SES::EmailIdentity", []), reads_only]})
	cloudtrail.management_reasons(trail) == {"selector #2: readOnly Equals [true] excludes write events (readOnly false)"}
	cloudtrail.trail_label(trail) == "trail aws_cloudtrail.main"
}

test_unknown_selector_is_unknown if {
	selector := {"name": "computed", "field_selectors": [], "unknown": {"field_selectors": "known only after apply"}}
	cloudtrail.selector_answer(selector, cloudtrail.management_event) == "unknown"
	cloudtrail.management_answer(fx.trail({"advanced_event_selectors": [selector]})) == "unknown"
	cloudtrail.management_reasons(fx.trail({"advanced_event_selectors": [selector]})) == {`selector "computed" is unknown (field_selectors: known only after apply)`}
}

test_unknown_basic_selectors_are_unknown if {
	trail := fx.trail({"advanced_event_selectors": [], "unknown": {"basic_event_selectors": "variable var.selectors has no value"}})
	cloudtrail.management_answer(trail) == "unknown"
}

test_trail_of_another_account_does_not_cover if {
	trail := fx.trail({"account": "444455556666"})
	cloudtrail.covers(trail, live_place) == "no"
	cloudtrail.coverage_text(trail, live_place) == "trail main belongs to account 444455556666"

	# A plan's unnamed account may be that one, or not.
	cloudtrail.covers(trail, plan_place) == "unknown"
}

test_place_with_unknown_region if {
	place := {"account": null, "region": null, "region_unknown": "provider aws.ses has no region", "subject": {"id": "aws_sesv2_email_identity.x"}}
	cloudtrail.covers(fx.trail({}), place) == "yes"
	cloudtrail.covers(fx.trail({"multi_region": false}), place) == "unknown"
	cloudtrail.place_label(place) == "the unknown region of aws_sesv2_email_identity.x (provider aws.ses has no region)"
}

test_settings_defaults_without_settings if {
	cloudtrail.required_resource_types == ["AWS::SES::ConfigurationSet", "AWS::SES::Template"] with data.settings as {}
	cloudtrail.settings_regions == [] with data.settings as {}
}
