package sescheck.lib.event_bridge_test

import data.sescheck.lib.event_bridge

test_source_aws_ses_matches_every_ses_event if {
	match := event_bridge.pattern_match(`{"source":["aws.ses"]}`)
	match.sure == event_bridge.all_types
	match.maybe == set()
}

test_detail_types_narrow_the_events if {
	match := event_bridge.pattern_match(`{"source":["aws.ses"],"detail-type":["Email Bounced","Email Complaint Received","Sending Status Disabled"]}`)
	match.sure == {"BOUNCE", "COMPLAINT"}
}

test_no_source_condition_matches_ses_events if {
	event_bridge.pattern_match(`{"detail-type":["Email Sent"]}`).sure == {"SEND"}
}

test_other_sources_match_nothing if {
	match := event_bridge.pattern_match(`{"source":["aws.ec2"]}`)
	match.sure == set()
	match.maybe == set()
}

test_content_filters_and_other_fields_are_only_maybe if {
	prefix := event_bridge.pattern_match(`{"source":[{"prefix":"aws."}]}`)
	prefix.sure == set()
	prefix.maybe == event_bridge.all_types
	contains(prefix.why, "content filter")
	detail := event_bridge.pattern_match(`{"source":["aws.ses"],"detail":{"mail":{"source":["a@example.com"]}}}`)
	detail.sure == set()
	detail.maybe == event_bridge.all_types
	contains(detail.why, "filters on detail")
}

test_a_pattern_that_is_not_an_object_matches_nothing if {
	event_bridge.pattern_match(`["aws.ses"]`).sure == set()
}
