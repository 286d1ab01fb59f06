package sescheck.lib.cloudtrail_test

import data.sescheck.lib.cloudtrail

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
