package sescheck.rules.identity.id_002_test

import data.sescheck.rules.identity.id_002 as check

topic(type) := {"type": type, "topic_arn": "arn:aws:sns:eu-west-1:111122223333:feedback"}

identity(overrides) := object.union(
	{
		"id": "aws_sesv2_email_identity.example",
		"account": null,
		"region": "eu-west-1",
		"location": null,
		"unknown": {},
		"identity": "example.com",
		"kind": "domain",
		"api": "v2",
		"default_configuration_set_name": null,
		"default_configuration_set": null,
		"notification_topics": [],
		"feedback_forwarding_enabled": true,
	},
	overrides,
)

with_default := identity({"default_configuration_set_name": "main", "default_configuration_set": "aws_sesv2_configuration_set.main"})

configuration_set(destination_overrides) := {
	"id": "aws_sesv2_configuration_set.main",
	"account": null,
	"region": "eu-west-1",
	"location": null,
	"unknown": {},
	"name": "main",
	"api": "v2",
	"tls_policy": "REQUIRE",
	"event_destinations": [object.union(
		{
			"id": "aws_sesv2_configuration_set_event_destination.firehose",
			"name": "firehose",
			"enabled": true,
			"event_types": ["SEND", "BOUNCE", "COMPLAINT"],
			"destination_type": "kinesis_firehose",
			"firehose_stream_arn": null,
			"firehose_stream": null,
			"sns_topic_arn": null,
			"location": null,
			"unknown": {},
		},
		destination_overrides,
	)],
}

test_topics_for_bounce_and_complaint_pass if {
	posture := {"identities": [identity({"notification_topics": [topic("BOUNCE"), topic("COMPLAINT")]})]}
	count(check.findings) == 0 with input as posture
	count(check.checked) == 1 with input as posture
}

test_default_set_destinations_pass if {
	count(check.findings) == 0 with input as {"identities": [with_default], "configuration_sets": [configuration_set({})]}
}

test_topic_and_set_together_pass if {
	bounce_topic := object.union(with_default, {"notification_topics": [topic("BOUNCE")]})
	set := configuration_set({"event_types": ["COMPLAINT"]})
	count(check.findings) == 0 with input as {"identities": [bounce_topic], "configuration_sets": [set]}
}

test_nothing_fails_and_forwarding_does_not_count if {
	findings := check.findings with input as {"identities": [identity({"notification_topics": [topic("DELIVERY")]})]}
	count(findings) == 1
	some finding in findings
	finding.status == "fail"
	finding.rule_id == "ID-002"
	contains(finding.message, "BOUNCE, COMPLAINT feedback of identity example.com is not captured")
	contains(finding.message, "no default configuration set")
}

test_only_bounce_topic_fails_for_complaint if {
	findings := check.findings with input as {"identities": [identity({"notification_topics": [topic("BOUNCE")]})]}
	some finding in findings
	finding.status == "fail"
	startswith(finding.message, "COMPLAINT feedback")
}

test_topic_without_arn_does_not_count if {
	findings := check.findings with input as {"identities": [identity({"notification_topics": [{"type": "BOUNCE", "topic_arn": null}, topic("COMPLAINT")]})]}
	some finding in findings
	finding.status == "fail"
	startswith(finding.message, "BOUNCE feedback")
}

test_disabled_default_set_destination_fails if {
	findings := check.findings with input as {"identities": [with_default], "configuration_sets": [configuration_set({"enabled": false})]}
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "default configuration set main do not publish BOUNCE, COMPLAINT")
}

test_default_set_not_in_input_is_unknown if {
	named := identity({"default_configuration_set_name": "shared"})
	findings := check.findings with input as {"identities": [named], "configuration_sets": []}
	count(findings) == 1
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "default configuration set shared is not in the input")
}

test_default_set_with_unknown_types_is_unknown if {
	set := configuration_set({"event_types": null, "unknown": {"event_types": "known only after apply"}})
	findings := check.findings with input as {"identities": [with_default], "configuration_sets": [set]}
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "known only after apply")
}

test_unknown_default_set_is_unknown if {
	unknown := identity({"unknown": {"default_configuration_set_name": "var.set has no value"}})
	findings := check.findings with input as {"identities": [unknown]}
	some finding in findings
	finding.status == "unknown"
}

test_v1_identity_with_topics_passes if {
	v1 := identity({"id": "aws_ses_domain_identity.example", "api": "v1", "notification_topics": [topic("BOUNCE"), topic("COMPLAINT")]})
	count(check.findings) == 0 with input as {"identities": [v1]}
}

test_unknown_topic_arn_is_unknown if {
	unknown := identity({
		"notification_topics": [{"type": "BOUNCE", "topic_arn": null}, topic("COMPLAINT")],
		"unknown": {"notification_topics.BOUNCE": "variable var.topic has no value"},
	})
	findings := check.findings with input as {"identities": [unknown]}
	count(findings) == 1
	some finding in findings
	finding.status == "unknown"
	contains(finding.message, "its BOUNCE notification topic is unknown (variable var.topic has no value)")
}

test_unlisted_identity_is_unknown if {
	unlisted := identity({
		"id": "arn:aws:ses:eu-west-1:111122223333:identity/*", "identity": null,
		"unknown": {"notification_topics": "AccessDenied", "default_configuration_set_name": "AccessDenied"},
	})
	findings := check.findings with input as {"identities": [unlisted]}
	some finding in findings
	finding.status == "unknown"
}

test_feedback_published_only_to_cloud_watch_is_not_captured if {
	metrics_set := {
		"id": "aws_sesv2_configuration_set.metrics", "account": null, "region": "eu-west-1", "location": null, "unknown": {},
		"name": "metrics", "api": "v2", "tls_policy": "REQUIRE",
		"event_destinations": [{
			"id": "d", "name": "cw", "enabled": true, "event_types": ["BOUNCE", "COMPLAINT"], "destination_type": "cloud_watch",
			"firehose_stream_arn": null, "firehose_stream": null, "sns_topic_arn": null, "location": null, "unknown": {},
		}],
	}
	identity := {
		"id": "aws_sesv2_email_identity.example", "account": null, "region": "eu-west-1", "location": null, "unknown": {},
		"identity": "example.com", "kind": "domain", "api": "v2", "default_configuration_set_name": "metrics",
		"default_configuration_set": "aws_sesv2_configuration_set.metrics", "notification_topics": [], "feedback_forwarding_enabled": true,
	}
	findings := check.findings with input as {"identities": [identity], "configuration_sets": [metrics_set]}
	some finding in findings
	finding.status == "fail"
	contains(finding.message, "do not publish BOUNCE, COMPLAINT to a durable destination")
}

test_identity_that_cannot_send_is_not_judged if {
	failed := {
		"id": "arn:aws:ses:eu-west-1:111122223333:identity/example.com", "account": "111122223333", "region": "eu-west-1", "location": null, "unknown": {},
		"identity": "example.com", "kind": "domain", "api": "v2", "default_configuration_set_name": null,
		"default_configuration_set": null, "notification_topics": [], "feedback_forwarding_enabled": true,
		"can_send": false, "cannot_send_reason": "verification FAILED",
	}
	count(check.findings) == 0 with input as {"identities": [failed], "configuration_sets": []}
	count(check.checked) == 0 with input as {"identities": [failed], "configuration_sets": []}
}

# Repeated configuration set ids (not schema-valid) leave the table of stored types empty: the default set is found by a scan.
test_repeated_configuration_set_ids_give_the_same_verdict if {
	disabled := configuration_set({"enabled": false})
	findings := check.findings with input as {"identities": [with_default], "configuration_sets": [disabled, disabled]}
	findings == check.findings with input as {"identities": [with_default], "configuration_sets": [disabled]}
	some finding in findings
	finding.status == "fail"
	count(check.findings) == 0 with input as {"identities": [with_default], "configuration_sets": [configuration_set({}), configuration_set({})]}
}
