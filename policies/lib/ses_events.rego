# METADATA
# description: |
#   SES configuration sets, their event destinations and event types, as the CS and ID rules
#   read them: v1 (renderingFailure) and v2 (RENDERING_FAILURE) event type names, which
#   destinations are enabled, and which event types they publish.
package sescheck.lib.ses_events

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

# METADATA
# description: The v2 enum name of an event type given by its v1 or v2 name.
normalize(name) := v2_names[upper(replace(name, "_", ""))]

# A name that is no SES event type stays as written, so a message can name it.
normalize(name) := name if not v2_names[upper(replace(name, "_", ""))]

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

# METADATA
# description: The event types the enabled destinations publish together (v2 names).
published_event_types(configuration_set) := {normalize(event_type) |
	some destination in enabled_destinations(configuration_set)
	is_array(destination.event_types)
	some event_type in destination.event_types
}

# METADATA
# description: |
#   Why the set might still publish an event type of wanted that its known-enabled destinations
#   do not: an enabled destination whose event types are unknown, or a destination whose
#   enabled flag is unknown that publishes (or may publish) one of them. Empty when none.
uncertain_publishers(configuration_set, wanted) := union({
	unknown_event_types(configuration_set),
	unknown_enabled_publishers(configuration_set, wanted),
	{sprintf("event destinations of configuration set %s are unknown (%s)", [label(configuration_set), reason]) |
		reason := destinations_unknown(configuration_set)
	},
	unread_modules.doubts("an event destination for it"),
})

unknown_event_types(configuration_set) := {sprintf("event types of destination %s are unknown (%s)", [destination_label(destination), reason]) |
	some destination in enabled_destinations(configuration_set)
	reason := unknown_reason(destination, "event_types")
}

unknown_enabled_publishers(configuration_set, wanted) := {sprintf("enabled flag of destination %s is unknown (%s)", [destination_label(destination), reason]) |
	some destination in maybe_enabled_destinations(configuration_set)
	may_publish_any(destination, wanted)
	reason := unknown_reason(destination, "enabled")
}

may_publish_any(destination, _) if unknown_reason(destination, "event_types")

may_publish_any(destination, wanted) if {
	is_array(destination.event_types)
	some event_type in destination.event_types
	normalize(event_type) in wanted
}

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
