# Why a trail does not record every event, in words: the selectors and conditions that drop
# or may drop them, each condition's items grouped.
package sescheck.lib.cloudtrail

selector_label(_, selector) := concat("", ["selector \"", selector.name, "\""]) if is_string(selector.name)

selector_label(index, selector) := sprintf("selector #%d", [index + 1]) if not is_string(selector.name)

# Why the selector does not keep every such event, as [selector index, condition index, answer,
# item] tuples: sends differ only in the item, so the words are built once per condition.
selector_reasons(index, selector, _, part) := {[index, -1, "unknown", ""]} if {
	count(selector_unknowns(selector)) > 0
	part != "resource"
}

selector_reasons(index, selector, event, part) := {[index, condition_index, answer, reason_item(answer, field_selector, event)] |
	some condition_index, field_selector in selector.field_selectors
	in_part(field_selector, part)
	answer := condition(field_selector, event)
	answer != "yes"
} if {
	count(selector_unknowns(selector)) == 0
}

reason_item("no", field_selector, event) := event.fields[field_selector.field].text

reason_item("partial", _, _) := ""

reason_item("unknown", field_selector, _) := "" if count(object.get(field_selector, "unknown", {})) > 0

reason_item("unknown", field_selector, event) := concat("", [field.text, " (", field.reason, ")"]) if {
	count(object.get(field_selector, "unknown", {})) == 0
	field := event.fields[field_selector.field]
}

# METADATA
# description: Reasons in words, the items of one condition joined, such as eventName ... excludes A, B.
grouped(selectors, reasons, what) := {text |
	some [index, condition_index, answer] in {array.slice(reason, 0, 3) | some reason in reasons}
	items := sort({reason[3] |
		some reason in reasons
		array.slice(reason, 0, 3) == [index, condition_index, answer]
		reason[3] != ""
	})
	text := head_with_items(reason_head(index, selectors[index], condition_index, answer, what), items)
}

reason_head(index, selector, -1, _, _) := sprintf("%s is unknown (%s)", [
	selector_label(index, selector),
	unknown_text(selector_unknowns(selector)),
])

reason_head(index, selector, condition_index, answer, what) := sprintf("%s: %s", [
	selector_label(index, selector),
	condition_head(answer, selector.field_selectors[condition_index], what),
]) if {
	condition_index >= 0
}

condition_head("no", field_selector, _) := sprintf("%s excludes", [condition_text(field_selector)])

condition_head("partial", field_selector, what) := sprintf("%s keeps only some %s", [condition_text(field_selector), what])

condition_head("unknown", field_selector, _) := sprintf("%s condition is unknown (%s)", [
	field_selector.field,
	unknown_text(field_selector.unknown),
]) if {
	count(object.get(field_selector, "unknown", {})) > 0
}

condition_head("unknown", field_selector, _) := sprintf("cannot tell whether %s keeps", [condition_text(field_selector)]) if {
	count(object.get(field_selector, "unknown", {})) == 0
}

head_with_items(head, items) := head if count(items) == 0

head_with_items(head, items) := sprintf("%s %s", [head, concat(", ", items)]) if {
	count(items) > 0
	count(items) <= max_items
}

# A condition that drops thousands of identities names the first few.
head_with_items(head, items) := sprintf("%s %s and %d more", [
	head,
	concat(", ", array.slice(items, 0, max_items)),
	count(items) - max_items,
]) if {
	count(items) > max_items
}

max_items := 10

unknown_text(unknowns) := concat(", ", [sprintf("%s: %s", [key, reason]) | some key, reason in unknowns])

unknown_fields_text(unknowns, keys) := concat(", ", [sprintf("%s: %s", [key, unknowns[key]]) | some key in keys; unknowns[key]])

# METADATA
# description: Why the trail does not record every one of the sends (data events).
data_reasons(trail, _) := {sprintf("its advanced event selectors are unknown (%s)", [
	trail.unknown.advanced_event_selectors,
])} if {
	selectors_unknown(trail)
}

data_reasons(trail, sends) := {no_data_selector_reason(trail, sends.names[0])} if {
	not selectors_unknown(trail)
	not any_selector_aimed(trail, sends.names)
}

data_reasons(trail, sends) := grouped(trail.advanced_event_selectors, api_reasons | resource_reasons, "sends") if {
	not selectors_unknown(trail)
	any_selector_aimed(trail, sends.names)
	resources := resource_signatures(trail, sends)
	dropped := [[api, signature, index, selector] |
		some api in sends.names
		some signature in {signature | some [_, signature] in resources}
		not_recorded(trail, api, signature)
		some index, selector in trail.advanced_event_selectors
		aimed_at(selector, api)
	]
	api_reasons := {reason |
		some [api, _, index, selector] in dropped
		some reason in selector_reasons(index, selector, api, "api")
	}
	resource_reasons := {reason |
		some [_, signature, index, selector] in dropped
		signature[index] != "yes"
		some [resource, resource_signature] in resources
		resource_signature == signature
		some reason in selector_reasons(index, selector, resource, "resource")
	}
}

not_recorded(trail, api, signature) if {
	any_of([all_of([api_answer(selector, api), signature[index]]) |
		some index, selector in trail.advanced_event_selectors
	]) != "yes"
}

any_selector_aimed(trail, events) if {
	some event in events
	some selector in trail.advanced_event_selectors
	aimed_at(selector, event)
}

no_data_selector_reason(trail, _) := "it uses basic (legacy) event selectors, which cannot select SES data events" if {
	count(trail.advanced_event_selectors) == 0
	count(trail.basic_event_selectors) > 0
}

no_data_selector_reason(trail, _) := "it has no advanced event selectors, so it records management events only" if {
	count(trail.advanced_event_selectors) == 0
	count(trail.basic_event_selectors) == 0
}

no_data_selector_reason(trail, event) := sprintf("no advanced event selector selects eventCategory Data and resources.type %s", [
	event.fields["resources.type"].value,
]) if {
	count(trail.advanced_event_selectors) > 0
}

basic_management_reasons(index, selector) := {reason |
	some [field, excludes, text] in [
		["include_management_events", selector.include_management_events == false, "include_management_events is false"],
		["read_write_type", selector.read_write_type == "ReadOnly", "read_write_type ReadOnly records no write events"],
		[
			"exclude_management_event_sources",
			"ses.amazonaws.com" in selector.exclude_management_event_sources,
			"exclude_management_event_sources drops ses.amazonaws.com",
		],
	]
	answer := basic_aspect(selector, field, excludes)
	answer != "yes"
	reason := basic_reason(index, answer, text, selector, field)
}

basic_reason(index, "no", text, _, _) := sprintf("basic selector #%d: %s", [index + 1, text])

basic_reason(index, "unknown", _, selector, field) := sprintf("basic selector #%d: %s is unknown (%s)", [
	index + 1,
	field,
	selector.unknown[field],
])

# METADATA
# description: Why the trail does not record SES management write events.
management_reasons(trail) := {sprintf("its event selectors are unknown (%s)", [
	unknown_fields_text(trail.unknown, ["advanced_event_selectors", "basic_event_selectors"]),
])} if {
	management_selectors_unknown(trail)
}

management_reasons(trail) := reasons if {
	not management_selectors_unknown(trail)
	basic := {reason |
		some index, selector in trail.basic_event_selectors
		some reason in basic_management_reasons(index, selector)
	}
	reasons := basic | advanced_management_reasons(trail)
}

advanced_management_reasons(trail) := {"its advanced event selectors have no Management selector, so it records no management events"} if {
	count(trail.advanced_event_selectors) > 0
	not any_selector_aimed(trail, [management_event])
}

advanced_management_reasons(trail) := grouped(
	trail.advanced_event_selectors, {reason |
		some index, selector in trail.advanced_event_selectors
		aimed_at(selector, management_event)
		selector_answer(selector, management_event) != "yes"
		some reason in selector_reasons(index, selector, management_event, "all")
	},
	management_event.what,
) if {
	any_selector_aimed(trail, [management_event])
}

advanced_management_reasons(trail) := set() if count(trail.advanced_event_selectors) == 0
