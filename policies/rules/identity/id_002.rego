# METADATA
# title: Identity feedback (bounces and complaints) is captured as events
# description: |
#   Bounces and complaints of an identity must be captured as events: SNS notification topics
#   for Bounce and Complaint on the identity, or enabled destinations of its default
#   configuration set that publish BOUNCE and COMPLAINT to a destination that stores them (as
#   CS-002 counts them: not CloudWatch metrics, SNS or Pinpoint destinations, EventBridge only
#   when its bus keeps them). Email feedback forwarding alone only mails them to the sender.
#   Live, an identity that cannot send (verification failed or pending, sending disabled) is
#   not judged.
# related_resources:
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/monitor-sending-activity-using-notifications-sns.html
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/monitor-using-event-publishing.html
# custom:
#   id: ID-002
#   severity: medium
#   remediation: |
#     Publish BOUNCE and COMPLAINT from an enabled destination of the identity's default
#     configuration set (matching_event_types in aws_sesv2_configuration_set_event_destination),
#     or set notification topics: aws_ses_identity_notification_topic { notification_type = "Bounce"
#     (and a second for "Complaint"), identity = ..., topic_arn = aws_sns_topic.feedback.arn }.
# schemas:
#   - input: schema.posture
package sescheck.rules.identity.id_002

import data.sescheck.lib.result
import data.sescheck.lib.ses_events

metadata := result.metadata(rego.metadata.chain())

feedback_types := {"BOUNCE", "COMPLAINT"}

# Every judged identity, as each ID rule judges them all: the set built once for both.
checked := ses_events.judged_identity_targets

findings contains result.fail(metadata, identity, message) if {
	some i, identity in ses_events.judged_identities
	missing := uncaptured_table[i]
	count(missing) > 0
	count(uncertainties(identity, missing)) == 0
	message := sprintf("%s feedback of identity %s is not captured as events: no notification topic for it, and %s", [
		ses_events.names(missing),
		ses_events.label(identity),
		default_set_summary(identity, missing),
	])
}

findings contains result.unknown(metadata, identity, message) if {
	some i, identity in ses_events.judged_identities
	missing := uncaptured_table[i]
	count(missing) > 0
	uncertain := uncertainties(identity, missing)
	count(uncertain) > 0
	message := sprintf("cannot tell whether %s feedback of identity %s is captured as events: %s", [
		ses_events.names(missing),
		ses_events.label(identity),
		concat("; ", sort(uncertain)),
	])
}

topic_types(identity) := {topic.type |
	some topic in identity.notification_topics
	topic.topic_arn != null
	topic.topic_arn != ""
}

# From the table built once per configuration set: identities often share their default set.
set_types(identity) := types if {
	types := ses_events.stored_types_by_id[identity.default_configuration_set]
} else := ses_events.stored_event_types(ses_events.default_configuration_set(identity)) if {
	ses_events.default_configuration_set(identity)
} else := set()

uncaptured(identity) := without_stored(feedback_types - topic_types(identity), identity)

# The default set's types are looked up only for the types the topics leave (usually none).
without_stored(missing, identity) := missing if count(missing) == 0

else := missing - set_types(identity)

# Each judged identity's uncaptured types once, keyed by position (both findings rules read them;
# an object, so an identity without an entry never shifts another's).
uncaptured_table := {i: uncaptured(identity) | some i, identity in ses_events.judged_identities}

uncertainties(identity, missing) := union({
	topic_doubts(identity, missing),
	default_set_doubts(identity),
	{sprintf("in its default configuration set %s, %s", [ses_events.label(configuration_set), why]) |
		configuration_set := ses_events.default_configuration_set(identity)
		some why in ses_events.uncertain_stores(configuration_set, missing)
	},
})

topic_doubts(identity, missing) := {sprintf("its notification topics are unknown (%s)", [reason]) |
	reason := ses_events.unknown_reason(identity, "notification_topics")
} | {sprintf("its %s notification topic is unknown (%s)", [feedback_type, reason]) |
	some feedback_type in missing
	reason := ses_events.unknown_reason(identity, sprintf("notification_topics.%s", [feedback_type]))
}

default_set_doubts(identity) := {sprintf("its default configuration set %s is not in the input", [name]) |
	name := identity.default_configuration_set_name
	is_string(name)
	name != ""
} | {sprintf("its default configuration set is unknown (%s)", [reason]) |
	reason := ses_events.unknown_reason(identity, "default_configuration_set_name")
} if {
	not ses_events.default_configuration_set(identity)
} else := set()

default_set_summary(identity, _) := "it has no default configuration set" if {
	not ses_events.default_configuration_set(identity)
}

default_set_summary(identity, missing) := sprintf("the enabled destinations of its default configuration set %s do not publish %s to a durable destination", [
	ses_events.label(configuration_set),
	ses_events.names(missing),
]) if {
	configuration_set := ses_events.default_configuration_set(identity)
}
