package sescheck.lib.unread_modules_test

import data.sescheck.lib.unread_modules

remote := {"id": "module.trail", "reason": "source \"terraform-aws-modules/cloudtrail/aws\" is not a local directory", "location": null}

test_no_doubt_without_unread_modules if {
	unread_modules.doubts("a trail") == set() with input as {}
	unread_modules.doubts("a trail") == set() with input as {"unread_modules": []}
	unread_modules.absence_status("fail") == "fail" with input as {}
}

test_one_doubt_per_unread_module_naming_it if {
	unread_modules.doubts("a trail that records SES sends") == {concat("", [
		"module.trail may declare a trail that records SES sends: sescheck cannot read it ",
		"(source \"terraform-aws-modules/cloudtrail/aws\" is not a local directory)",
	])} with input as {"unread_modules": [remote]}
}

test_absence_fail_becomes_unknown_pass_stays if {
	unread_modules.absence_status("fail") == "unknown" with input as {"unread_modules": [remote]}
	unread_modules.absence_status("pass") == "pass" with input as {"unread_modules": [remote]}
	unread_modules.absence_status("unknown") == "unknown" with input as {"unread_modules": [remote]}
}
