# METADATA
# title: Configuration set publishes the required event types
# description: |
#   The enabled event destinations of a configuration set, together, must publish every event
#   type in the settings' ses.required_event_types (by default send, reject, bounce, complaint,
#   delivery, renderingFailure and deliveryDelay), or the mail log misses those events.
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
package sescheck.rules.ses.cs_002

import data.sescheck.lib.result
import data.sescheck.lib.ses_events

metadata := result.metadata(rego.metadata.chain())

checked contains result.target(configuration_set) if {
	some configuration_set in input.configuration_sets
}

findings contains result.fail(metadata, configuration_set, message) if {
	some configuration_set in input.configuration_sets
	missing := missing_event_types(configuration_set)
	count(missing) > 0
	count(ses_events.uncertain_publishers(configuration_set, missing)) == 0
	message := sprintf("the enabled event destinations of configuration set %s do not publish %s%s", [
		ses_events.label(configuration_set),
		ses_events.names(missing),
		published_summary(configuration_set),
	])
}

findings contains result.unknown(metadata, configuration_set, message) if {
	some configuration_set in input.configuration_sets
	missing := missing_event_types(configuration_set)
	count(missing) > 0
	uncertain := ses_events.uncertain_publishers(configuration_set, missing)
	count(uncertain) > 0
	message := sprintf("cannot tell whether configuration set %s publishes %s: %s", [
		ses_events.label(configuration_set),
		ses_events.names(missing),
		concat("; ", sort(uncertain)),
	])
}

missing_event_types(configuration_set) := ses_events.required_event_types - ses_events.published_event_types(configuration_set)

published_summary(configuration_set) := " (it has no enabled event destination)" if {
	count(ses_events.enabled_destinations(configuration_set)) == 0
}

published_summary(configuration_set) := sprintf(" (they publish %s)", [ses_events.names(published)]) if {
	count(ses_events.enabled_destinations(configuration_set)) > 0
	published := ses_events.published_event_types(configuration_set)
	count(published) > 0
}

published_summary(configuration_set) := " (they publish no event type)" if {
	count(ses_events.enabled_destinations(configuration_set)) > 0
	count(ses_events.published_event_types(configuration_set)) == 0
}
