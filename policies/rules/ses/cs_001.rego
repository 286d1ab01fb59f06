# METADATA
# title: Configuration set has an enabled event destination
# description: |
#   A configuration set publishes events (sends, deliveries, bounces...) only through an enabled
#   event destination. Without one, mail sent through the set leaves no mail log.
# related_resources:
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/event-destinations-manage.html
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_EventDestinationDefinition.html
# custom:
#   id: CS-001
#   severity: high
#   remediation: |
#     Add an enabled event destination to the configuration set, for example
#     aws_sesv2_configuration_set_event_destination { configuration_set_name = aws_sesv2_configuration_set.main.configuration_set_name
#     event_destination { enabled = true, matching_event_types = ["SEND", "REJECT", "BOUNCE", "COMPLAINT", "DELIVERY", "RENDERING_FAILURE", "DELIVERY_DELAY"],
#     kinesis_firehose_destination { delivery_stream_arn = ..., iam_role_arn = ... } } }
#     (v1: aws_ses_event_destination with enabled = true).
# schemas:
#   - input: schema.posture
package sescheck.rules.ses.cs_001

import data.sescheck.lib.result
import data.sescheck.lib.ses_events
import data.sescheck.lib.unread_modules

metadata := result.metadata(rego.metadata.chain())

# Every configuration set, as each CS rule judges them all: the set built once for the four.
checked := ses_events.configuration_set_targets

findings contains result.fail(metadata, configuration_set, message) if {
	some configuration_set in input.configuration_sets
	not ses_events.destinations_unknown(configuration_set)
	count(ses_events.enabled_destinations(configuration_set)) == 0
	count(ses_events.maybe_enabled_destinations(configuration_set)) == 0
	count(unread_modules.doubts("an event destination for it")) == 0
	message := sprintf("configuration set %s has no enabled event destination (%s); mail sent through it is not logged", [
		ses_events.label(configuration_set),
		destinations_summary(configuration_set),
	])
}

findings contains result.unknown(metadata, configuration_set, message) if {
	some configuration_set in input.configuration_sets
	reason := ses_events.destinations_unknown(configuration_set)
	message := sprintf("event destinations of configuration set %s are unknown: %s", [
		ses_events.label(configuration_set),
		reason,
	])
}

findings contains result.unknown(metadata, configuration_set, message) if {
	some configuration_set in input.configuration_sets
	not ses_events.destinations_unknown(configuration_set)
	count(ses_events.enabled_destinations(configuration_set)) == 0
	uncertain := ses_events.maybe_enabled_destinations(configuration_set)
	count(uncertain) > 0
	message := sprintf("configuration set %s has no destination known to be enabled; unknown: %s", [
		ses_events.label(configuration_set),
		concat("; ", sort([sprintf("enabled flag of destination %s (%s)", [
			ses_events.destination_label(destination),
			ses_events.unknown_reason(destination, "enabled"),
		]) |
			some destination in uncertain
		])),
	])
}

# No enabled destination in the input, but a module sescheck cannot read may declare one.
findings contains result.unknown(metadata, configuration_set, message) if {
	some configuration_set in input.configuration_sets
	not ses_events.destinations_unknown(configuration_set)
	count(ses_events.enabled_destinations(configuration_set)) == 0
	count(ses_events.maybe_enabled_destinations(configuration_set)) == 0
	doubts := unread_modules.doubts("an event destination for it")
	count(doubts) > 0
	message := sprintf("configuration set %s has no enabled event destination in the input (%s), but %s", [
		ses_events.label(configuration_set),
		destinations_summary(configuration_set),
		concat("; ", sort(doubts)),
	])
}

destinations_summary(configuration_set) := "it has no event destinations" if {
	count(configuration_set.event_destinations) == 0
}

destinations_summary(configuration_set) := sprintf("disabled: %s", [ses_events.names({
ses_events.destination_label(destination) |
	some destination in configuration_set.event_destinations
})]) if {
	count(configuration_set.event_destinations) > 0
}
