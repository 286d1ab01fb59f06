# METADATA
# description: |
#   What the CloudTrail rules (CT-001 to CT-008) share: the places (account and region) in
#   scope, which trails cover a place, and how a trail's event selectors treat SES sends and
#   SES management events. Selectors are evaluated as CloudTrail does: within a field
#   selector the Equals/StartsWith/EndsWith values are ORed and every NotEquals/NotStartsWith/
#   NotEndsWith value must hold; the field selectors of a selector are ANDed; selectors are
#   ORed. Answers are "yes", "no", "partial" (some sends kept, others dropped) or "unknown".
#   This file holds the verdicts the rules read; the other files of lib/cloudtrail/ their parts.
# schemas:
#   - input: schema.posture
package sescheck.lib.cloudtrail

import data.sescheck.lib.unread_modules

# METADATA
# description: |
#   For each trail of the place's account: does it record the sends of the place's
#   resources of this type (yes, no, unknown)? Coverage of the region is CT-004's business.
data_answers(place, type) := data_answer_table[place_key(place, type)]

# Rules, unlike functions, are evaluated once per query, also in wasm: the tables hold the
# answers every CT rule reads.
data_answer_entries[place_key(place, type)] := {trail.id: place_data_answer(trail, answers) |
	some trail in place_trails
} if {
	some place in places
	some type in data_event_types
	events := send_events_table[place_key(place, type)]
	place_trails := [trail | some trail in trails; account_coverage(trail, place) != "no"]

	# Trails often share their selectors (copies of one module): each distinct set is judged once.
	answers := {selectors: selectors_data_answer(selectors, events) |
		some selectors in {trail.advanced_event_selectors |
			some trail in place_trails
			not selectors_unknown(trail)
		}
	}
}

# Selectors that record the sends count only when the trail is in the place's account (or may be).
with_account("yes", "unknown") := "unknown"

with_account(answer, coverage) := answer if not [answer, coverage] == ["yes", "unknown"]

# METADATA
# description: Whether the trail's advanced event selectors record every one of the events (answers by selectors).
place_data_answer(trail, _) := "unknown" if selectors_unknown(trail)

place_data_answer(trail, answers) := answers[trail.advanced_event_selectors] if not selectors_unknown(trail)

data_event_types := {email_identity_type} | {type | some type in required_resource_types}

place_key(place, type) := concat("|", [place.subject.id, type])

# METADATA
# description: |
#   CT-001 and CT-002 for one place and resource type: status pass, fail or unknown, and
#   the trails' reasons (for fail, every trail; for unknown, the undecided ones).
data_verdict(place, type) := data_verdict_table[place_key(place, type)]

data_verdict_entries[place_key(place, type)] := {"status": status, "reasons": reasons} if {
	some place in places
	some type in data_event_types
	answers := data_answers(place, type)
	found := verdict_status({answer | some answer in answers})
	status := unread_modules.absence_status(found)
	events := send_events_table[place_key(place, type)]
	shown := [trail |
		some trail in trails
		answer := answers[trail.id]
		reason_shown(found, answer)
	]

	# Trails with the same selectors have the same reasons: each distinct set is explained once.
	texts := {selectors: concat("; ", sort(data_reasons(selectors, events))) |
		some selectors in {data_selectors(trail) | some trail in shown}
	}
	reasons := array.concat(
		absence_doubts(found, status, "a trail or event data store that records them"),
		[data_reason(trail, place, texts[data_selectors(trail)]) | some trail in shown],
	)
}

data_reason(trail, place, text) := sprintf("%s: %s", [trail_label(trail), text]) if {
	account_coverage(trail, place) == "yes"
} else := account_text(trail, place) if {
	text == ""
} else := sprintf("%s; %s", [account_text(trail, place), text])

# A fail that counted on no other trail, now unknown: the unread modules that may declare one.
absence_doubts(found, status, what) := sort(unread_modules.doubts(what)) if found != status

absence_doubts(found, status, _) := [] if found == status

# What data_reasons reads of a trail: its selectors and whether they are unknown (and why).
data_selectors(trail) := {
	"advanced_event_selectors": trail.advanced_event_selectors,
	"basic_event_selectors": trail.basic_event_selectors,
	"unknown": {"advanced_event_selectors": object.get(object.get(trail, "unknown", {}), "advanced_event_selectors", null)},
}

reason_shown("fail", _)

reason_shown("unknown", "unknown")

# METADATA
# description: |
#   CT-004 for one place: among the trails whose selectors record SES sends of the place, is
#   one covering its region? Undefined when no trail records them (CT-001 reports that).
coverage_verdict(place) := coverage_verdict_table[place.subject.id]

coverage_verdict_entries[place.subject.id] := {"status": status, "reasons": reasons} if {
	some place in places
	answers := data_answers(place, email_identity_type)
	"yes" in {answer | some answer in answers}
	pairs := [[answers[trail.id], covers(trail, place)] |
		some trail in trails
		answers[trail.id] in {"yes", "unknown"}
	]
	found := coverage_status(pairs)
	status := unread_modules.absence_status(found)
	reasons := array.concat(
		absence_doubts(found, status, sprintf("a trail that records SES sends and covers %s", [place_label(place)])),
		[coverage_text(trail, place) |
			some trail in trails
			answers[trail.id] in {"yes", "unknown"}
			coverage_shown(found, covers(trail, place))
		],
	)
}

coverage_shown("fail", _)

coverage_shown("unknown", "unknown")

# METADATA
# description: CT-003 for one place, over the trails that cover it.
management_verdict(place) := management_verdict_table[place.subject.id]

management_verdict_entries[place.subject.id] := {"status": status, "reasons": reasons} if {
	some place in places
	pairs := [[management_answer(trail), covers(trail, place)] | some trail in trails]
	found := coverage_status(pairs)
	status := unread_modules.absence_status(found)
	reasons := array.concat(
		absence_doubts(found, status, sprintf("a trail that records SES management events in %s", [place_label(place)])),
		management_verdict_reasons(place, found),
	)
}

management_verdict_reasons(place, "fail") := [sprintf("%s: %s", [trail_label(trail), concat("; ", sort(management_reasons(trail)))]) |
	some trail in trails
	covers(trail, place) == "yes"
] if {
	some trail in trails
	covers(trail, place) == "yes"
}

management_verdict_reasons(place, "fail") := [sprintf("no trail or event data store covers %s%s", [
	place_label(place),
	others_text([coverage_text(trail, place) | some trail in trails]),
])] if {
	not any_trail_covers(place)
}

others_text(texts) := "" if count(texts) == 0

others_text(texts) := sprintf(" (%s)", [concat("; ", texts)]) if count(texts) > 0

management_verdict_reasons(place, "unknown") := array.concat(
	[coverage_text(trail, place) |
		some trail in trails
		covers(trail, place) == "unknown"
		management_answer(trail) in {"yes", "unknown"}
	],
	[sprintf("%s: %s", [trail_label(trail), concat("; ", sort(management_reasons(trail)))]) |
		some trail in trails
		covers(trail, place) in {"yes", "unknown"}
		management_answer(trail) == "unknown"
	],
)

management_verdict_reasons(_, "pass") := []

any_trail_covers(place) if {
	some trail in trails
	covers(trail, place) == "yes"
}

# --- the trails CT-005 to CT-008 judge ---------------------------------------------------------------

# METADATA
# description: |
#   The trails counted for CT-001 (their selectors record SES sends of a place in scope they
#   cover, or may cover) or for CT-003 (they cover, or may cover, a place in scope and record SES
#   management events).
counted_trails := [trails[i] | some i in each_counted_trail]

# Positions in trails, not trails: a set of numbers hashes cheaply, a set of trails hashes each
# whole trail on every insert and scan.
each_counted_trail contains i if {
	some place in places
	records := records_table[place_key(place, email_identity_type)]
	some i, trail in trails
	records[trail.id] == "yes"
	covers(trail, place) in {"yes", "unknown"}
}

each_counted_trail contains i if {
	some place in places
	some i, trail in trails
	management_answer(trail) == "yes"
	covers(trail, place) in {"yes", "unknown"}
}

# --- complete rules over the partial ones above: wasm evaluates a complete rule once per query,
# but re-evaluates a partial rule at every reference (in loops and functions too) ------------------

# What the selectors answer (records_table) and, with the trail's account, what the trail records (data_answer_table).
records_table := {key: value | some key, value in data_answer_entries}

data_answer_table := {key: {id: with_account(answer, account_coverage(trail_by_id[id], place_by_key[key])) |
	some id, answer in records
} |
	some key, records in records_table
}

trail_by_id := {trail.id: trail | some trail in trails}

# The sends of each place and type, built once: each holds a pattern of every resource's ARN.
send_events_table := {place_key(place, type): send_events(place, type) | some place in places; some type in data_event_types}

place_by_key := {place_key(place, type): place | some place in places; some type in data_event_types}
data_verdict_table := {key: value | some key, value in data_verdict_entries}
coverage_verdict_table := {key: value | some key, value in coverage_verdict_entries}
management_verdict_table := {key: value | some key, value in management_verdict_entries}
