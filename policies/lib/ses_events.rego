# METADATA
# description: |
#   SES configuration sets, their event destinations and event types, as the CS and ID rules
#   read them: v1 (renderingFailure) and v2 (RENDERING_FAILURE) event type names, which
#   destinations are enabled, and which event types they publish.
# schemas:
#   - input: schema.posture
package sescheck.lib.ses_events

import data.sescheck.lib.event_bridge
import data.sescheck.lib.logging_path
import data.sescheck.lib.result
import data.sescheck.lib.unread_modules

# The v2 enum name of each event type, keyed by its name without case or underscores, so that
# v1 camelCase (renderingFailure) and v2 (RENDERING_FAILURE) names meet.
v2_names := {
	"SEND": "SEND",
	"REJECT": "REJECT",
	"BOUNCE": "BOUNCE",
	"COMPLAINT": "COMPLAINT",
	"DELIVERY": "DELIVERY",
	"OPEN": "OPEN",
	"CLICK": "CLICK",
	"RENDERINGFAILURE": "RENDERING_FAILURE",
	"DELIVERYDELAY": "DELIVERY_DELAY",
	"SUBSCRIPTION": "SUBSCRIPTION",
}

# The v1 and v2 spellings of each event type, looked up before any other spelling is folded
# (normalize runs for every event type of every destination, each time a rule reads them).
spellings := object.union({name: name | some name in v2_names}, {
	"send": "SEND",
	"reject": "REJECT",
	"bounce": "BOUNCE",
	"complaint": "COMPLAINT",
	"delivery": "DELIVERY",
	"open": "OPEN",
	"click": "CLICK",
	"renderingFailure": "RENDERING_FAILURE",
	"deliveryDelay": "DELIVERY_DELAY",
	"subscription": "SUBSCRIPTION",
})

# (else, not a body per case: wasm evaluates every body of a function at each call.)
# METADATA
# description: |
#   The v2 enum name of an event type given by its v1 or v2 name; a name that is no SES event
#   type stays as written, so a message can name it.
normalize(name) := v2_name if {
	v2_name := spellings[name]
} else := v2_name if {
	v2_name := v2_names[upper(replace(name, "_", ""))]
} else := name

# METADATA
# description: The event types the settings require (ses.required_event_types), as v2 names.
required_event_types := {normalize(name) | some name in data.settings.ses.required_event_types}

# METADATA
# description: A configuration set or identity as messages name it.
label(subject) := subject.identity if is_string(object.get(subject, "identity", null))

label(subject) := subject.name if {
	not is_string(object.get(subject, "identity", null))
	is_string(object.get(subject, "name", null))
}

label(subject) := subject.id if {
	not is_string(object.get(subject, "identity", null))
	not is_string(object.get(subject, "name", null))
}

# METADATA
# description: An event destination as messages name it.
destination_label(destination) := sprintf("\"%s\"", [destination.name]) if is_string(destination.name)

destination_label(destination) := destination.id if not is_string(destination.name)

# METADATA
# description: The reason a field of a posture object is unknown (its `unknown` map).
unknown_reason(subject, field) := object.get(subject, "unknown", {})[field]

# METADATA
# description: The reason the configuration set's list of event destinations is unknown.
destinations_unknown(configuration_set) := unknown_reason(configuration_set, "event_destinations")

# METADATA
# description: Destinations known to be enabled.
enabled_destinations(configuration_set) := [destination |
	some destination in configuration_set.event_destinations
	destination.enabled == true
]

# METADATA
# description: Destinations whose enabled flag is unknown (null and named in `unknown`).
maybe_enabled_destinations(configuration_set) := [destination |
	some destination in configuration_set.event_destinations
	destination.enabled == null
	unknown_reason(destination, "enabled")
]

may_publish_any(destination, _) if unknown_reason(destination, "event_types")

may_publish_any(destination, wanted) if {
	is_array(destination.event_types)
	some event_type in destination.event_types
	normalize(event_type) in wanted
}

# METADATA
# description: |
#   The destination types the settings count as storing events (ses.durable_destinations), lower
#   case. An EventBridge destination counts only for the event types its bus keeps.
durable_types := {lower(destination_type) | some destination_type in data.settings.ses.durable_destinations}

# METADATA
# description: Whether the destination's type is one the settings count as storing events.
durable_type(destination) if {
	is_string(destination.destination_type)
	lower(destination.destination_type) in durable_types
}

# METADATA
# description: The destination's event types (v2 names); empty when unknown.
destination_types(destination) := {normalize(event_type) |
	is_array(destination.event_types)
	some event_type in destination.event_types
}

# METADATA
# description: |
#   The event types of an enabled destination that reach a store: all of them for a durable
#   type (a Firehose stream that exists), those its bus keeps for EventBridge.
stored_types(destination) := destination_types(destination) if {
	durable_type(destination)
	destination.destination_type != "event_bridge"
	not missing_stream(destination)
} else := destination_types(destination) & event_bridge.kept_types(bus) if {
	durable_type(destination)
	destination.destination_type == "event_bridge"
	bus := event_bridge.bus_of(destination)
} else := set()

# Live: the Firehose stream the destination names does not exist.
missing_stream(destination) if {
	some stream in logging_path.with_id("firehose_stream", destination.firehose_stream)
	object.get(stream, "exists", true) == false
}

# METADATA
# description: |
#   Why an enabled EventBridge destination may store more of wanted than stored_types shows:
#   its bus is not in the input, or the bus's doubts. Empty when none.
store_doubts(destination, wanted) := {sprintf("event bus %s of destination %s is not in the input; whether it keeps SES events cannot be told", [bus_words(destination), destination_label(destination)]) |
	durable_type(destination)
	destination.destination_type == "event_bridge"
	not event_bridge.bus_of(destination)
	count(may_types(destination) & wanted) > 0
} | {sprintf("destination %s publishes to EventBridge, and %s", [destination_label(destination), doubt]) |
	durable_type(destination)
	destination.destination_type == "event_bridge"
	bus := event_bridge.bus_of(destination)
	some doubt in event_bridge.doubts(bus, may_types(destination) & wanted)
}

may_types(destination) := destination_types(destination) if is_array(destination.event_types)

may_types(destination) := event_bridge.all_types if not is_array(destination.event_types)

bus_words(destination) := destination.event_bus_arn if is_string(object.get(destination, "event_bus_arn", null))

bus_words(destination) := "(unknown)" if not is_string(object.get(destination, "event_bus_arn", null))

# METADATA
# description: Whether a destination could store events (a durable type, or a type that is unknown).
may_store(destination) if durable_type(destination)

may_store(destination) if unknown_reason(destination, "destination_type")

# METADATA
# description: The event types the enabled destinations of a set together store (v2 names).
stored_event_types(configuration_set) := {event_type |
	some destination in enabled_destinations(configuration_set)
	some event_type in stored_types(destination)
}

# METADATA
# description: |
#   stored_event_types of each configuration set of the input, by id, built once (wasm does not
#   memoize functions, and several rules read each set's); empty when the ids are not unique.
stored_types_by_id := {id: stored_event_types(configuration_set) |
	some id, configuration_set in configuration_sets_by_id
}

# METADATA
# description: |
#   Why the set might still store an event type of wanted that stored_event_types does not show:
#   a destination that may store events whose types, enabled flag or type is unknown, or an
#   EventBridge bus that may keep them. Empty when none.
uncertain_stores(configuration_set, wanted) := union({
	{sprintf("event types of destination %s are unknown (%s)", [destination_label(destination), reason]) |
		some destination in enabled_destinations(configuration_set)
		may_store(destination)
		reason := unknown_reason(destination, "event_types")
	},
	{sprintf("type of enabled destination %s is unknown (%s)", [destination_label(destination), reason]) |
		some destination in enabled_destinations(configuration_set)
		may_publish_any(destination, wanted)
		reason := unknown_reason(destination, "destination_type")
	},
	{sprintf("enabled flag of destination %s is unknown (%s)", [destination_label(destination), reason]) |
		some destination in maybe_enabled_destinations(configuration_set)
		may_store(destination)
		may_publish_any(destination, wanted)
		reason := unknown_reason(destination, "enabled")
	},
	{doubt |
		some destination in enabled_destinations(configuration_set)
		some doubt in store_doubts(destination, wanted)
	},
	{sprintf("event destinations of configuration set %s are unknown (%s)", [label(configuration_set), reason]) |
		reason := destinations_unknown(configuration_set)
	},
	unread_modules.doubts("an event destination for it"),
})

# METADATA
# description: |
#   The identities the ID rules judge: every identity except those known unable to send (live:
#   verification failed or pending, sending disabled), which send no mail to log.
judged_identities := [identity |
	some identity in input.identities
	object.get(identity, "can_send", null) != false
]

# METADATA
# description: |
#   The checked targets of the rules that judge every configuration set (CS-001 to CS-004) and
#   every judged identity (ID-001, ID-002): each set built once, not once per rule.
configuration_set_targets := {result.target(configuration_set) | some configuration_set in input.configuration_sets}

judged_identity_targets := {result.target(identity) | some identity in judged_identities}

# METADATA
# description: The configuration set an identity names as its default, when it is in the input.
default_configuration_set(identity) := configuration_sets_by_id[identity.default_configuration_set] if {
	identity.default_configuration_set != null
	configuration_sets_by_id
}

default_configuration_set(identity) := configuration_set if {
	identity.default_configuration_set != null
	not configuration_sets_by_id
	some configuration_set in input.configuration_sets
	configuration_set.id == identity.default_configuration_set
}

# The configuration sets by id, when their ids are unique; undefined otherwise (then a scan).
configuration_sets_by_id := {configuration_set.id: configuration_set | some configuration_set in input.configuration_sets} if {
	count({configuration_set.id | some configuration_set in input.configuration_sets}) == count(input.configuration_sets)
}

# METADATA
# description: A set of names as a message lists them, sorted.
names(items) := concat(", ", sort([item | some item in items]))
