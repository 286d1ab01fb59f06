package sescheck.lib.event_bridge_test

import data.sescheck.lib.event_bridge
import data.sescheck.lib.logging_path

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

test_log_group_an_ses_rule_delivers_to_is_in_the_logging_path if {
	bus_arn := "arn:aws:events:eu-west-1:111122223333:event-bus/default"
	group := {"id": "aws_cloudwatch_log_group.ses", "name": "/ses", "arn": null, "retention_in_days": 1, "account": null, "region": "eu-west-1", "location": null, "unknown": {}}
	target := {"id": "t", "arn": null, "target": "aws_cloudwatch_log_group.ses", "unknown": {"arn": "known only after apply"}}
	rule := {"id": "r", "name": "ses", "event_pattern": `{"source":["aws.ses"]}`, "state": "ENABLED", "targets": [target], "location": null, "unknown": {}}
	bus := {"id": "bus", "name": "default", "arn": bus_arn, "complete": false, "archives": [], "rules": [rule], "account": null, "region": "eu-west-1", "location": null, "unknown": {}}
	destination := {"id": "d", "name": "eb", "enabled": true, "event_types": ["SEND"], "destination_type": "event_bridge", "event_bus_arn": bus_arn, "event_bus": "bus", "firehose_stream_arn": null, "firehose_stream": null, "sns_topic_arn": null, "location": null, "unknown": {}}
	configuration_set := {"id": "cs", "name": "main", "api": "v2", "tls_policy": "REQUIRE", "event_destinations": [destination], "account": null, "region": "eu-west-1", "location": null, "unknown": {}}
	posture := {"configuration_sets": [configuration_set], "event_buses": [bus], "log_groups": [group]}
	members := logging_path.members("log_group") with input as posture
	{m.id | some m in members} == {"aws_cloudwatch_log_group.ses"}
	contains(logging_path.why("log_group", group), "via event bus arn:aws:events:eu-west-1:111122223333:event-bus/default rule ses") with input as posture
}
