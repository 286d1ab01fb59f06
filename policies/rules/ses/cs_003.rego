# METADATA
# title: Configuration set stores its events durably
# description: |
#   At least one enabled event destination of a configuration set must store events: a type in
#   the settings' ses.durable_destinations (by default Kinesis Data Firehose and EventBridge).
#   An EventBridge destination stores events only when its bus keeps them: an archive whose
#   retention is within the retention bounds, or an enabled rule matching aws.ses events with a
#   Firehose stream to S3 or a CloudWatch log group as target. CloudWatch receives metrics (counts
#   per dimension), not event records; SNS and Pinpoint only pass events on.
# related_resources:
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/event-publishing-add-event-destination.html
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/event-publishing-add-event-destination-firehose.html
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/event-publishing-add-event-destination-cloudwatch.html
#   - ref: https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-ses.html
#   - ref: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive.html
# custom:
#   id: CS-003
#   severity: medium
#   remediation: |
#     Add an enabled destination that stores events, for example a Kinesis Data Firehose stream
#     delivering to S3: aws_sesv2_configuration_set_event_destination { event_destination {
#     enabled = true, kinesis_firehose_destination { delivery_stream_arn = aws_kinesis_firehose_delivery_stream.ses.arn,
#     iam_role_arn = aws_iam_role.ses_firehose.arn } } }.
# schemas:
#   - input: schema.posture
package sescheck.rules.ses.cs_003

import data.sescheck.lib.event_bridge
import data.sescheck.lib.result
import data.sescheck.lib.ses_events
import data.sescheck.lib.unread_modules

metadata := result.metadata(rego.metadata.chain())

# Every configuration set, as each CS rule judges them all: the set built once for the four.
checked := ses_events.configuration_set_targets

findings contains result.fail(metadata, configuration_set, message) if {
	some configuration_set in input.configuration_sets
	not stores_events(configuration_set)
	count(uncertainties(configuration_set)) == 0
	message := sprintf("configuration set %s stores no events durably: %s; durable destination types are %s%s", [
		ses_events.label(configuration_set),
		enabled_summary(configuration_set),
		ses_events.names(ses_events.durable_types),
		bus_refusals(configuration_set),
	])
}

findings contains result.unknown(metadata, configuration_set, message) if {
	some configuration_set in input.configuration_sets
	not stores_events(configuration_set)
	uncertain := uncertainties(configuration_set)
	count(uncertain) > 0
	message := sprintf("cannot tell whether configuration set %s stores its events durably: %s", [
		ses_events.label(configuration_set),
		concat("; ", sort(uncertain)),
	])
}

# A Firehose (or other durable-type) destination stores whatever it publishes; EventBridge what its bus keeps.
# (else, not a second body: wasm evaluates every body of a function at each call, and the second
# normalizes each of the destination's event types.)
stores(destination) if {
	ses_events.durable_type(destination)
	destination.destination_type != "event_bridge"
	not ses_events.missing_stream(destination)
} else if count(ses_events.stored_types(destination)) > 0

stores_events(configuration_set) if {
	some destination in ses_events.enabled_destinations(configuration_set)
	stores(destination)
}

uncertainties(configuration_set) := union({
	unknown_types(configuration_set),
	unknown_enabled(configuration_set),
	{sprintf("its event destinations are unknown (%s)", [reason]) | reason := ses_events.destinations_unknown(configuration_set)},
	unread_modules.doubts("a durable event destination for it"),
	{doubt |
		some destination in ses_events.enabled_destinations(configuration_set)
		some doubt in ses_events.store_doubts(destination, ses_events.may_types(destination))
	},
})

# What keeps the EventBridge buses of the set's destinations from storing its events.
bus_refusals(configuration_set) := "" if {
	count(refusals(configuration_set)) == 0
} else := sprintf("; %s", [concat("; ", sort(refusals(configuration_set)))])

refusals(configuration_set) := {sprintf("event bus %s keeps no SES event of destination %s%s", [event_bridge.label(bus), ses_events.destination_label(destination), why]) |
	some destination in ses_events.enabled_destinations(configuration_set)
	destination.destination_type == "event_bridge"
	ses_events.durable_type(destination)
	bus := event_bridge.bus_of(destination)
	why := refusal_words(event_bridge.refusals(bus))
}

refusal_words(refused) := "" if count(refused) == 0

refusal_words(refused) := sprintf(" (%s)", [concat("; ", sort(refused))]) if count(refused) > 0

unknown_types(configuration_set) := {sprintf("type of enabled destination %s is unknown (%s)", [ses_events.destination_label(destination), reason]) |
	some destination in ses_events.enabled_destinations(configuration_set)
	reason := ses_events.unknown_reason(destination, "destination_type")
}

unknown_enabled(configuration_set) := {sprintf("enabled flag of destination %s is unknown (%s)", [ses_events.destination_label(destination), reason]) |
	some destination in ses_events.maybe_enabled_destinations(configuration_set)
	may_be_durable(destination)
	reason := ses_events.unknown_reason(destination, "enabled")
}

may_be_durable(destination) if ses_events.durable_type(destination)

may_be_durable(destination) if ses_events.unknown_reason(destination, "destination_type")

enabled_summary(configuration_set) := "it has no enabled event destination" if {
	count(ses_events.enabled_destinations(configuration_set)) == 0
}

enabled_summary(configuration_set) := sprintf("its enabled destinations are %s", [ses_events.names({
sprintf("%s (%s)", [ses_events.destination_label(destination), type_label(destination.destination_type)]) |
	some destination in ses_events.enabled_destinations(configuration_set)
})]) if {
	count(ses_events.enabled_destinations(configuration_set)) > 0
}

type_label(null) := "no type"

type_label(destination_type) := destination_type if destination_type != null
