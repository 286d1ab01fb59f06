# METADATA
# title: Configuration set publishes the required event types
# description: |
#   The enabled event destinations of a configuration set, together, must publish every event
#   type in the settings' ses.required_event_types (by default send, reject, bounce, complaint,
#   delivery, renderingFailure and deliveryDelay) to a destination that stores them (see CS-003:
#   a Firehose stream, or EventBridge when its bus keeps them), or the mail log misses those
#   events. Types published only to CloudWatch (metrics), SNS or Pinpoint do not count.
#   v1 names (renderingFailure) and v2 names (RENDERING_FAILURE) are the same events.
# related_resources:
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving.html
#   - ref: https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_EventDestinationDefinition.html
# custom:
#   id: CS-002
#   severity: high
#   remediation: |
#     Add the missing types to an enabled destination: matching_event_types in the
#     event_destination block of aws_sesv2_configuration_set_event_destination (v2 names such as
#     RENDERING_FAILURE), or matching_types of aws_ses_event_destination (v1 names such as
#     renderingFailure).
# schemas:
#   - input: schema.posture
package sescheck.rules.ses.cs_002

import data.sescheck.lib.result
import data.sescheck.lib.ses_events

metadata := result.metadata(rego.metadata.chain())

# Every configuration set, as each CS rule judges them all: the set built once for the four.
checked := ses_events.configuration_set_targets

findings contains result.fail(metadata, configuration_set, message) if {
	some configuration_set in input.configuration_sets
	missing := missing_event_types(configuration_set)
	count(missing) > 0
	count(ses_events.uncertain_stores(configuration_set, missing)) == 0
	message := sprintf("the enabled event destinations of configuration set %s do not publish %s to a durable destination%s", [
		ses_events.label(configuration_set),
		ses_events.names(missing),
		published_summary(configuration_set),
	])
}

findings contains result.unknown(metadata, configuration_set, message) if {
	some configuration_set in input.configuration_sets
	missing := missing_event_types(configuration_set)
	count(missing) > 0
	uncertain := ses_events.uncertain_stores(configuration_set, missing)
	count(uncertain) > 0
	message := sprintf("cannot tell whether configuration set %s stores %s durably: %s", [
		ses_events.label(configuration_set),
		ses_events.names(missing),
		concat("; ", sort(uncertain)),
	])
}

missing_event_types(configuration_set) := ses_events.required_event_types - stored(configuration_set)

# A configuration set of the input's stored types, from the table built once per set.
stored(configuration_set) := types if {
	types := ses_events.stored_types_by_id[configuration_set.id]
} else := ses_events.stored_event_types(configuration_set)

published_summary(configuration_set) := " (it has no enabled event destination)" if {
	count(ses_events.enabled_destinations(configuration_set)) == 0
}

published_summary(configuration_set) := sprintf(" (they store %s%s)", [ses_events.names(types), not_stored_words(configuration_set)]) if {
	count(ses_events.enabled_destinations(configuration_set)) > 0
	types := stored(configuration_set)
	count(types) > 0
}

published_summary(configuration_set) := sprintf(" (they store no event type%s)", [not_stored_words(configuration_set)]) if {
	count(ses_events.enabled_destinations(configuration_set)) > 0
	count(stored(configuration_set)) == 0
}

# Types published only where they are not stored (CloudWatch metrics, SNS...), named with the destinations.
not_stored_words(configuration_set) := "" if {
	count(not_stored(configuration_set)) == 0
} else := sprintf("; published but not stored: %s", [concat(", ", sort(not_stored(configuration_set)))])

not_stored(configuration_set) := {sprintf("%s by %s (%s)", [ses_events.names(types), ses_events.destination_label(destination), type_words(destination)]) |
	some destination in ses_events.enabled_destinations(configuration_set)
	types := (ses_events.destination_types(destination) & ses_events.required_event_types) - stored(configuration_set)
	count(types) > 0
}

type_words(destination) := "EventBridge, its bus does not keep them" if destination.destination_type == "event_bridge"

type_words(destination) := "CloudWatch stores metrics, not events" if destination.destination_type == "cloud_watch"

type_words(destination) := "its Firehose stream does not exist" if ses_events.missing_stream(destination)

type_words(destination) := sprintf("%s does not store events", [destination.destination_type]) if {
	not destination.destination_type in {"event_bridge", "cloud_watch"}
	not ses_events.missing_stream(destination)
	is_string(destination.destination_type)
}

type_words(destination) := "no type" if destination.destination_type == null
