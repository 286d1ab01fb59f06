package sescheck.lib.result_test

import data.sescheck.lib.result

meta := {"id": "XX-001", "title": "t", "severity": "high", "remediation": ""}

trail := {"id": "aws_cloudtrail.main", "region": "eu-west-1", "account": null, "location": null, "unknown": {}, "logging": false}

messages := {"fail": "it fails", "unknown": "cannot tell"}

test_a_verdict_gives_its_status_and_the_message_for_it if {
	result.from_verdict(meta, trail, {"status": "fail"}, messages).status == "fail"
	result.from_verdict(meta, trail, {"status": "fail"}, messages).message == "it fails"
	result.from_verdict(meta, trail, {"status": "unknown"}, messages).message == "cannot tell"
	not result.from_verdict(meta, trail, {"status": "pass"}, messages)
}

test_an_unknown_field_is_unknown_before_it_can_fail if {
	result.field_verdict(trail, "logging", trail.logging == false) == {"status": "fail", "reason": ""}
	result.field_verdict(trail, "logging", trail.logging == true) == {"status": "pass", "reason": ""}
	unread := object.union(trail, {"unknown": {"logging": "GetTrailStatus failed"}})
	result.field_verdict(unread, "logging", unread.logging == false) == {"status": "unknown", "reason": "GetTrailStatus failed"}
}

test_a_target_is_where_a_finding_points if {
	result.target(trail) == {"resource": "aws_cloudtrail.main", "region": "eu-west-1", "account": null, "location": null}
	result.scope(null, "eu-west-1").id == "aws://default/eu-west-1"
}
