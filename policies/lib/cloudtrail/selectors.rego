# How advanced event selectors (and, for management events, basic ones) treat an event: the
# answers yes, no, partial or unknown, condition by condition and selector by selector.
package sescheck.lib.cloudtrail

positive_operators := ["equals", "starts_with", "ends_with"]

negative_operators := {"not_equals": "equals", "not_starts_with": "starts_with", "not_ends_with": "ends_with"}

operator_names := {
	"equals": "Equals",
	"not_equals": "NotEquals",
	"starts_with": "StartsWith",
	"not_starts_with": "NotStartsWith",
	"ends_with": "EndsWith",
	"not_ends_with": "NotEndsWith",
}

# METADATA
# description: Whether one value of an operator matches the event field (yes, no, unknown).
value_matches("equals", value, field) := "yes" if {
	field.kind == "known"
	value == field.value
} else := "no" if {
	field.kind == "known"
} else := "yes" if {
	field.exact
	value == field.prefix
} else := "no" if {
	field.exact
} else := "unknown" if {
	regex.match(arn_regex(field), value)
} else := "no"

value_matches("starts_with", value, field) := "yes" if {
	field.kind == "known"
	startswith(field.value, value)
} else := "no" if {
	field.kind == "known"
} else := "yes" if {
	startswith(field.prefix, value)
} else := "no" if {
	field.exact
} else := "unknown" if {
	regex.match(arn_prefix_regex(field), value)
} else := "no"

value_matches("ends_with", value, field) := "yes" if {
	field.kind == "known"
	endswith(field.value, value)
} else := "no" if {
	field.kind == "known"
} else := "yes" if {
	field.exact
	endswith(field.prefix, value)
} else := "no" if {
	field.exact
} else := "yes" if {
	endswith(field.suffix, value)
} else := "unknown" if {
	regex.match(arn_suffix_regex(field), value)
} else := "no"

# METADATA
# description: Whether a field selector keeps the event (yes, no, partial, unknown).
condition(field_selector, event) := "unknown" if {
	count(object.get(field_selector, "unknown", {})) > 0
} else := "partial" if {
	# A field that varies from one send to another (caller, error code...) keeps only some.
	not event.fields[field_selector.field]
} else := "unknown" if {
	event.fields[field_selector.field].kind == "opaque"
} else := field_answer(field_selector, event.fields[field_selector.field])

field_answer(field_selector, field) := all_of(array.concat([positive_answer(positives)], negatives)) if {
	positives := [value_matches(operator, value, field) |
		some operator in positive_operators
		some value in object.get(field_selector, operator, [])
	]
	negatives := [negation[value_matches(operator, value, field)] |
		some negative, operator in negative_operators
		some value in object.get(field_selector, negative, [])
	]
}

positive_answer(answers) := any_of(answers) if count(answers) > 0

positive_answer(answers) := "yes" if count(answers) == 0

condition_text(field_selector) := concat(" ", array.concat([field_selector.field], [text |
	some operator in ["equals", "not_equals", "starts_with", "not_starts_with", "ends_with", "not_ends_with"]
	values := object.get(field_selector, operator, [])
	count(values) > 0
	text := sprintf("%s [%s]", [operator_names[operator], concat(", ", values)])
]))

# --- selectors -------------------------------------------------------------------------------

# What is unknown about an advanced selector's conditions; its name records nothing, so an unknown name is left out.
selector_unknowns(selector) := {field: reason | some field, reason in object.get(selector, "unknown", {}); field != "name"}

# METADATA
# description: Whether an advanced event selector keeps the event (yes, no, partial, unknown).
selector_answer(selector, _) := "unknown" if count(selector_unknowns(selector)) > 0

selector_answer(selector, event) := all_of([condition(field_selector, event) | some field_selector in selector.field_selectors]) if {
	count(selector_unknowns(selector)) == 0
}

# The conditions of a selector on the API part of a send (every field but resources.ARN).
api_answer(selector, _) := "unknown" if count(selector_unknowns(selector)) > 0

api_answer(selector, event) := all_of([condition(field_selector, event) |
	some field_selector in selector.field_selectors
	in_part(field_selector, "api")
]) if {
	count(selector_unknowns(selector)) == 0
}

in_part(field_selector, "resource") if field_selector.field == "resources.ARN"

in_part(field_selector, "api") if field_selector.field != "resources.ARN"

in_part(_, "all")

# A selector aimed at the event's category and resource type (the other conditions may still drop it).
aimed_at(selector, event) if {
	every field_selector in selector.field_selectors {
		not category_excludes(field_selector, event)
	}
}

category_excludes(field_selector, event) if {
	field_selector.field in {"eventCategory", "resources.type"}
	condition(field_selector, event) == "no"
}

# --- sends (CT-001, CT-002, CT-004) -------------------------------------------------------------

selectors_unknown(trail) if object.get(trail.unknown, "advanced_event_selectors", null) != null

# METADATA
# description: Whether these (known) advanced event selectors record every one of the events.
selectors_data_answer(selectors, sends) := all_of([any_of([all_of([api_answer(selector, api), signature[index]]) |
	some index, selector in selectors
]) |
	some api in sends.names
	some signature in signatures
]) if {
	signatures := resource_signature_set(selectors, sends)
}

# The distinct signatures of the resources. Selectors without resources.ARN conditions (the usual
# case) keep every resource: each resource's signature is the same, and none is looked at.
resource_signature_set(selectors, sends) := {[conditions_answer([], null) | some _ in selectors] |
	sends.resource_given == true
} if {
	every selector in selectors {
		count(selector_resource_conditions(selector)) == 0
	}
} else := {signature | some [_, signature] in selector_resource_signatures(selectors, sends)}

# Each resource with how every selector's resources.ARN conditions treat it; resources with the
# same signature are recorded alike, so the APIs are judged once per signature, not per resource.
resource_signatures(trail, sends) := selector_resource_signatures(trail.advanced_event_selectors, sends)

selector_resource_signatures(selectors, sends) := [[resource, [conditions_answer(conditions, resource) | some conditions in resource_conditions]] |
	some resource in send_resources(sends)
] if {
	# Each selector's resources.ARN conditions, picked once and not again for every resource.
	resource_conditions := [selector_resource_conditions(selector) | some selector in selectors]
}

# The conditions of a selector on the resource part (resources.ARN): none for an unknown selector
# (its answer is the API part's).
selector_resource_conditions(selector) := [] if count(selector_unknowns(selector)) > 0

selector_resource_conditions(selector) := [field_selector |
	some field_selector in selector.field_selectors
	in_part(field_selector, "resource")
] if {
	count(selector_unknowns(selector)) == 0
}

# A selector without resources.ARN conditions keeps every resource, without a look at it.
conditions_answer(conditions, _) := "yes" if count(conditions) == 0

conditions_answer(conditions, event) := all_of([condition(field_selector, event) | some field_selector in conditions]) if {
	count(conditions) > 0
}

# --- management events (CT-003) ------------------------------------------------------------------

management_selectors_unknown(trail) if selectors_unknown(trail)

management_selectors_unknown(trail) if object.get(trail.unknown, "basic_event_selectors", null) != null

# METADATA
# description: Whether the trail records SES management write events (yes, no, unknown).
management_answer(trail) := "unknown" if {
	management_selectors_unknown(trail)
} else := "yes" if {
	# CloudTrail's default: a trail without selectors records every management event.
	count(trail.basic_event_selectors) == 0
	count(trail.advanced_event_selectors) == 0
} else := any_of(array.concat(
	[basic_management_answer(selector) | some selector in trail.basic_event_selectors],
	[selector_answer(selector, management_event) | some selector in trail.advanced_event_selectors],
))

basic_management_answer(selector) := all_of([
	basic_aspect(selector, "include_management_events", selector.include_management_events == false),
	basic_aspect(selector, "read_write_type", selector.read_write_type == "ReadOnly"),
	basic_aspect(selector, "exclude_management_event_sources", "ses.amazonaws.com" in selector.exclude_management_event_sources),
])

basic_aspect(selector, field, excludes) := "unknown" if {
	object.get(object.get(selector, "unknown", {}), field, null) != null
} else := "no" if {
	excludes == true
} else := "yes"
