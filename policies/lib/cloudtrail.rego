# METADATA
# description: |
#   What the CloudTrail rules (CT-001 to CT-008) share: the places (account and region) in
#   scope, which trails cover a place, and how a trail's event selectors treat SES sends and
#   SES management events. Selectors are evaluated as CloudTrail does: within a field
#   selector the Equals/StartsWith/EndsWith values are ORed and every NotEquals/NotStartsWith/
#   NotEndsWith value must hold; the field selectors of a selector are ANDed; selectors are
#   ORed. Answers are "yes", "no", "partial" (some sends kept, others dropped) or "unknown".
# schemas:
#   - input: schema.posture
package sescheck.lib.cloudtrail

import data.sescheck.lib.accounts
import data.sescheck.lib.arn
import data.sescheck.lib.result
import data.sescheck.lib.unread_modules

email_identity_type := "AWS::SES::EmailIdentity"

# The send APIs CloudTrail records as SES data events (v1 and v2 share SendEmail).
send_event_names := ["SendEmail", "SendRawEmail", "SendTemplatedEmail", "SendBulkTemplatedEmail", "SendBulkEmail"]

template_send_event_names := ["SendEmail", "SendBulkEmail", "SendTemplatedEmail", "SendBulkTemplatedEmail"]

# ARN resource part of each SES data-event resource type.
resource_paths := {
	"AWS::SES::EmailIdentity": "identity/",
	"AWS::SES::ConfigurationSet": "configuration-set/",
	"AWS::SES::Template": "template/",
}

default settings_regions := []

settings_regions := data.settings.cloudtrail.regions

# METADATA
# description: Extra data-event resource types CT-002 requires (settings).
default required_resource_types := ["AWS::SES::ConfigurationSet", "AWS::SES::Template"]

required_resource_types := data.settings.cloudtrail.required_resource_types

ses_resources := array.concat(
	[identity | some identity in object.get(input, "identities", [])],
	[configuration_set | some configuration_set in object.get(input, "configuration_sets", [])],
)

trails := object.get(input, "trails", [])

multi_region_endpoints := object.get(input, "multi_region_endpoints", [])

# Accounts in scope, as [account, doubt]: those of the SES resources, else those of the trails, else "the one account".
scope_accounts := {account_of(resource) | some resource in ses_resources} if count(ses_resources) > 0

else := {account_of(trail) | some trail in trails} if count(trails) > 0

else := {[null, ""]}

account_of(thing) := [thing.account, accounts.doubt(thing)]

# METADATA
# description: |
#   (account, region) pairs in scope: where SES resources are, plus the settings' regions;
#   with neither, the home regions of the input's trails.
each_scope_region contains [resource.account, accounts.doubt(resource), resource.region] if {
	some resource in ses_resources
	is_string(resource.region)
}

# SES sends through a global endpoint from each of its regions: all are in scope.
each_scope_region contains [endpoint.account, accounts.doubt(endpoint), region] if {
	some endpoint in multi_region_endpoints
	some region in endpoint.regions
}

each_scope_region contains [account, doubt, region] if {
	some region in settings_regions
	some [account, doubt] in scope_accounts
}

each_scope_region contains [trail.account, accounts.doubt(trail), trail.region] if {
	count(ses_resources) == 0
	count(multi_region_endpoints) == 0
	count(settings_regions) == 0
	some trail in trails
	is_string(trail.region)
}

# METADATA
# description: |
#   Every place a CloudTrail rule judges: a region of an account (subject aws://ACCOUNT/REGION),
#   or an SES resource whose region cannot be told (subject: the resource).
each_place contains place if {
	some [account, doubt, region] in scope_regions
	place := {
		"subject": place_subject(account, doubt, region),
		"account": account,
		"unknown": doubt_unknown(doubt),
		"region": region,
		"region_unknown": null,
		"identities": [identity |
			some identity in object.get(input, "identities", [])
			account_of(identity) == [account, doubt]
			identity.region == region
		],
		"configuration_sets": [configuration_set |
			some configuration_set in object.get(input, "configuration_sets", [])
			account_of(configuration_set) == [account, doubt]
			configuration_set.region == region
		],
	}
}

each_place contains place if {
	some resource in ses_resources
	not is_string(resource.region)
	place := {
		"subject": resource,
		"account": resource.account,
		"unknown": doubt_unknown(accounts.doubt(resource)),
		"region": null,
		"region_unknown": object.get(resource.unknown, "region", "not given in the input"),
		"identities": [identity | some identity in object.get(input, "identities", []); identity.id == resource.id],
		"configuration_sets": [configuration_set |
			some configuration_set in object.get(input, "configuration_sets", [])
			configuration_set.id == resource.id
		],
	}
}

# A global endpoint whose regions are unknown sends from a region that cannot be told.
each_place contains place if {
	some endpoint in multi_region_endpoints
	not is_array(endpoint.regions)
	place := {
		"subject": endpoint,
		"account": endpoint.account,
		"unknown": doubt_unknown(accounts.doubt(endpoint)),
		"region": null,
		"region_unknown": object.get(endpoint.unknown, "regions", "not given in the input"),
		"identities": [],
		"configuration_sets": [],
	}
}

place_subject(account, "", region) := result.scope(account, region)

# Two unnamed accounts that may differ are two places.
place_subject(account, doubt, region) := object.union(result.scope(account, region), {
	"id": sprintf("aws://default/%s (%s)", [region, doubt]),
}) if {
	doubt != ""
}

doubt_unknown("") := {}

doubt_unknown(doubt) := {"account": doubt} if doubt != ""

place_label(place) := place.region if is_string(place.region)

place_label(place) := sprintf("the unknown region of %s (%s)", [place.subject.id, place.region_unknown]) if {
	not is_string(place.region)
}

# METADATA
# description: A trail in words, such as trail NAME or event data store NAME.
trail_label(trail) := sprintf("%s %s", [kind_label[trail.kind], trail_name(trail)])

kind_label := {"trail": "trail", "event_data_store": "event data store"}

trail_name(trail) := trail.name if is_string(trail.name)

trail_name(trail) := trail.id if not is_string(trail.name)

# --- three-valued logic --------------------------------------------------------------------

any_of(answers) := "yes" if {
	"yes" in answers
} else := "unknown" if {
	"unknown" in answers
} else := "no"

all_of(answers) := "no" if {
	"no" in answers
} else := "partial" if {
	"partial" in answers
} else := "unknown" if {
	"unknown" in answers
} else := "yes"

negation := {"yes": "no", "no": "yes", "unknown": "unknown"}

# --- coverage ---------------------------------------------------------------------------------

# METADATA
# description: |
#   Whether the trail's events include the place's account (yes, no, unknown): its own account,
#   or a member account of its organization. A trail declared in the settings without an
#   account is the scanned account's; declared as an organization trail, it covers the input.
account_coverage(trail, place) := "yes" if {
	accounts.relation(trail, place) == "same"
} else := "yes" if {
	trail.declared_in_settings == true
	trail.account == null
} else := "yes" if {
	trail.organization == true
	organization_member(trail, place)
} else := "no" if {
	accounts.relation(trail, place) == "different"
	trail.organization == false
} else := "unknown"

organization_member(trail, _) if trail.declared_in_settings == true

# Live: an organization trail listed in a member account names that account.
organization_member(trail, place) if place.account in object.get(trail, "organization_member_accounts", [])

account_text(trail, place) := sprintf("%s is an organization trail of %s; whether %s is a member is not in the input", [
	trail_label(trail),
	accounts.label(trail),
	accounts.label(place),
]) if {
	trail.organization == true
	accounts.relation(trail, place) == "different"
} else := sprintf("whether %s (%s) is in the account of %s (%s) is unknown", [
	trail_label(trail),
	accounts.label(trail),
	place_label(place),
	accounts.label(place),
])

# METADATA
# description: Whether the trail records the place's region (yes, no, unknown).
covers(trail, place) := "no" if {
	account_coverage(trail, place) == "no"
} else := "unknown" if {
	account_coverage(trail, place) == "unknown"
	region_coverage(trail, place) != "no"
} else := "no" if {
	account_coverage(trail, place) == "unknown"
} else := region_coverage(trail, place)

region_coverage(trail, place) := "yes" if {
	trail.multi_region == true
} else := "unknown" if {
	object.get(trail.unknown, "multi_region", null) != null
	not trail.region == place.region
} else := "unknown" if {
	not is_string(place.region)
} else := "unknown" if {
	not is_string(trail.region)
} else := "yes" if {
	trail.region == place.region
} else := "no"

coverage_text(trail, place) := sprintf("%s is single-region in %s", [trail_label(trail), trail.region]) if {
	covers(trail, place) == "no"
	account_coverage(trail, place) != "no"
} else := sprintf("%s belongs to account %s", [trail_label(trail), trail.account]) if {
	covers(trail, place) == "no"
} else := account_text(trail, place) if {
	account_coverage(trail, place) == "unknown"
} else := sprintf("%s: whether it covers %s is unknown (%s)", [
	trail_label(trail),
	place_label(place),
	unknown_fields_text(trail.unknown, ["multi_region", "region"]),
])

# --- modelled events ----------------------------------------------------------------------------

known(value, text) := {"kind": "known", "value": value, "text": text}

# The resources.ARN of the place's resources of a data-event type, as patterns whose unknown
# parts (account, name) may hide the exact ARN.
resource_arns(place, "AWS::SES::EmailIdentity") := [arn_pattern(place, "identity/", identity.identity, identity.unknown, "identity") |
	some identity in place.identities
] if count(place.identities) > 0

resource_arns(place, "AWS::SES::ConfigurationSet") := [arn_pattern(place, "configuration-set/", configuration_set.name, configuration_set.unknown, "name") |
	some configuration_set in place.configuration_sets
] if count(place.configuration_sets) > 0

resource_arns(place, type) := [arn_pattern(place, resource_paths[type], null, {}, "none in the input")] if {
	type in {"AWS::SES::EmailIdentity", "AWS::SES::ConfigurationSet", "AWS::SES::Template"}
	not place_has_resources(place, type)
}

resource_arns(_, type) := [{
	"kind": "opaque",
	"text": sprintf("the %s resources", [type]),
	"reason": sprintf("sescheck does not know the ARNs of %s", [type]),
}] if {
	not resource_paths[type]
}

place_has_resources(place, "AWS::SES::EmailIdentity") if count(place.identities) > 0

place_has_resources(place, "AWS::SES::ConfigurationSet") if count(place.configuration_sets) > 0

# METADATA
# description: |
#   An ARN as prefix + unknown middle + suffix: exact when every part is known, else the
#   known prefix and suffix around the parts the input does not give.
arn_pattern(place, path, name, unknowns, name_field) := pattern if {
	segments := [
		{"text": "arn:"},
		{"text": region_partition(place), "placeholder": "<partition>", "gap": "partition"},
		{"text": ":ses:"},
		{"text": place.region, "placeholder": "<region>", "gap": "region"},
		{"text": ":"},
		{"text": place.account, "placeholder": "<account>", "gap": "account"},
		{"text": concat("", [":", path])},
		{"text": name, "placeholder": "<name>", "gap": "name"},
	]
	gaps := [i | some i, segment in segments; not is_string(segment.text)]
	pattern := arn_from_segments(segments, gaps, arn_reasons(place, name, unknowns, name_field))
}

region_partition(place) := arn.partition_of_region(place.region) if is_string(place.region)

region_partition(place) := null if not is_string(place.region)

arn_from_segments(segments, gaps, _) := {
	"kind": "arn",
	"exact": true,
	"prefix": concat("", [segment.text | some segment in segments]),
	"suffix": "",
	"text": concat("", [segment.text | some segment in segments]),
	"reason": "",
} if {
	count(gaps) == 0
}

arn_from_segments(segments, gaps, reasons) := {
	"kind": "arn",
	"exact": false,
	"prefix": concat("", [segment.text | some segment in array.slice(segments, 0, min(gaps))]),
	"suffix": concat("", [segment.text | some segment in array.slice(segments, max(gaps) + 1, count(segments))]),
	"text": concat("", [segment_text(segment) | some segment in segments]),
	"reason": concat(", ", reasons),
	# The known parts and the gaps, matched against a value only when a condition names an ARN.
	"segments": segments,
} if {
	count(gaps) > 0
}

# What an unknown part of an ARN can be: a partition, a region name, a 12-digit account, a name.
gap_regex := {"partition": `aws[a-z-]*`, "region": `[a-z]+(?:-[a-z]+)*-[0-9]+`, "account": `[0-9]{12}`, "name": `.+`}

gap_prefix_regex := {"partition": `(?:a(?:w(?:s[a-z-]*)?)?)?`, "region": `[a-z0-9-]*`, "account": `[0-9]{0,12}`, "name": `.*`}

gap_suffix_regex := {"partition": `[a-z-]*`, "region": `[a-z0-9-]*`, "account": `[0-9]{0,12}`, "name": `.*`}

# METADATA
# description: |
#   The ARNs a pattern stands for, their prefixes and their suffixes, as regular expressions: a
#   value whose fixed parts differ (another name, region or partition) matches none of them.
arn_regex(field) := concat("", ["^", concat("", [segment_regex(segment) | some segment in field.segments]), "$"])

arn_prefix_regex(field) := concat("", [
	"^(?:", concat("|", [concat("", array.concat(
		[segment_regex(before) | some before in array.slice(field.segments, 0, i)],
		[segment_prefix_regex(segment)],
	)) |
		some i, segment in field.segments
	]),
	")$",
])

arn_suffix_regex(field) := concat("", [
	"^(?:", concat("|", [concat("", array.concat(
		[segment_suffix_regex(segment)],
		[segment_regex(after) | some after in array.slice(field.segments, i + 1, count(field.segments))],
	)) |
		some i, segment in field.segments
	]),
	")$",
])

segment_regex(segment) := regex_literal(segment.text) if is_string(segment.text)

segment_regex(segment) := gap_regex[segment.gap] if not is_string(segment.text)

# Every prefix of a known part: a(?:b(?:c)?)? nested so that the regex stays linear in its length.
segment_prefix_regex(segment) := concat("", array.concat(
	[concat("", ["(?:", regex_char(char)]) | some char in split(segment.text, "")],
	[")?" | some _ in split(segment.text, "")],
)) if {
	is_string(segment.text)
}

segment_prefix_regex(segment) := gap_prefix_regex[segment.gap] if not is_string(segment.text)

segment_suffix_regex(segment) := concat("", array.concat(
	["(?:" | some _ in split(segment.text, "")],
	[concat("", [regex_char(char), ")?"]) | some char in split(segment.text, "")],
)) if {
	is_string(segment.text)
}

segment_suffix_regex(segment) := gap_suffix_regex[segment.gap] if not is_string(segment.text)

regex_literal(text) := concat("", [regex_char(char) | some char in split(text, "")])

regex_char(char) := concat("", ["\\", char]) if char in regex_meta

regex_char(char) := char if not char in regex_meta

regex_meta := {"\\", ".", "+", "*", "?", "(", ")", "|", "[", "]", "{", "}", "^", "$"}

segment_text(segment) := segment.text if is_string(segment.text)

segment_text(segment) := segment.placeholder if not is_string(segment.text)

arn_reasons(place, name, unknowns, name_field) := [reason |
	some candidate in [
		account_reason(place),
		region_reason(place),
		name_reason(name, unknowns, name_field),
	]
	reason := candidate
	reason != ""
]

account_reason(place) := "the account is not in the input" if place.account == null

account_reason(place) := "" if place.account != null

region_reason(place) := sprintf("the region is unknown (%s)", [place.region_unknown]) if not is_string(place.region)

region_reason(place) := "" if is_string(place.region)

name_reason(name, _, _) := "" if is_string(name)

name_reason(name, _, "none in the input") := "which of these resources exist is not in the input" if not is_string(name)

name_reason(name, unknowns, field) := sprintf("the %s is unknown (%s)", [field, object.get(unknowns, field, "not given")]) if {
	not is_string(name)
	field != "none in the input"
}

# METADATA
# description: |
#   The sends of a data-event type at a place, in two parts judged apart: one event per send
#   API with every field but resources.ARN, and one per resource with resources.ARN alone.
#   A send is recorded when one selector keeps both its API part and its resource part.
send_events(place, type) := {
	"names": [{
		"what": "sends",
		"fields": {
			"eventCategory": known("Data", "data events"),
			"resources.type": known(type, type),
			"eventName": name,
			"eventSource": known("ses.amazonaws.com", "ses.amazonaws.com"),
			"readOnly": known("true", "sends (CloudTrail records them with readOnly true)"),
			"eventType": known("AwsApiCall", "AwsApiCall"),
		},
	} |
		some name in event_names(type)
	],
	"resources": [{"what": "sends", "fields": {"resources.ARN": arn}} | some arn in resource_arns(place, type)],
}

event_names("AWS::SES::Template") := [known(name, name) | some name in template_send_event_names]

event_names(type) := [known(name, name) | some name in send_event_names] if {
	type in {"AWS::SES::EmailIdentity", "AWS::SES::ConfigurationSet"}
}

event_names(type) := [{"kind": "opaque", "text": "its APIs", "reason": sprintf("sescheck does not know the APIs of %s", [type])}] if {
	not resource_paths[type]
}

# A write management event of SES (create or delete an identity, a receipt rule...).
management_event := {
	"what": "SES management write events",
	"fields": {
		"eventCategory": known("Management", "management events"),
		"eventSource": known("ses.amazonaws.com", "ses.amazonaws.com"),
		"readOnly": known("false", "write events (readOnly false)"),
		"eventType": known("AwsApiCall", "AwsApiCall"),
	},
}

# --- field selectors --------------------------------------------------------------------------

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

# The conditions of a selector on the resource part (resources.ARN); an unknown selector is the API part's.
resource_answer(selector, _) := "yes" if count(selector_unknowns(selector)) > 0

resource_answer(selector, event) := all_of([condition(field_selector, event) |
	some field_selector in selector.field_selectors
	in_part(field_selector, "resource")
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

# --- data events (CT-001, CT-002, CT-004) -------------------------------------------------------

selectors_unknown(trail) if object.get(trail.unknown, "advanced_event_selectors", null) != null

# METADATA
# description: Whether these (known) advanced event selectors record every one of the events.
selectors_data_answer(selectors, sends) := all_of([any_of([all_of([api_answer(selector, api), signature[index]]) |
	some index, selector in selectors
]) |
	some api in sends.names
	some signature in signatures
]) if {
	signatures := {signature | some [_, signature] in selector_resource_signatures(selectors, sends)}
}

# Each resource with how every selector's resources.ARN conditions treat it; resources with the
# same signature are recorded alike, so the APIs are judged once per signature, not per resource.
resource_signatures(trail, sends) := selector_resource_signatures(trail.advanced_event_selectors, sends)

selector_resource_signatures(selectors, sends) := [[resource, [resource_answer(selector, resource) | some selector in selectors]] |
	some resource in sends.resources
]

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
	events := send_events(place, type)
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
	events := send_events(place, type)
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

verdict_status(answers) := "pass" if {
	"yes" in answers
} else := "unknown" if {
	"unknown" in answers
} else := "fail"

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

coverage_status(pairs) := "pass" if {
	["yes", "yes"] in pairs
} else := "unknown" if {
	some [records, covered] in pairs
	records in {"yes", "unknown"}
	covered in {"yes", "unknown"}
} else := "fail"

coverage_shown("fail", _)

coverage_shown("unknown", "unknown")

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
each_counted_trail contains trail if {
	some place in places
	records := records_table[place_key(place, email_identity_type)]
	some trail in trails
	records[trail.id] == "yes"
	covers(trail, place) in {"yes", "unknown"}
}

each_counted_trail contains trail if {
	some place in places
	some trail in trails
	management_answer(trail) == "yes"
	covers(trail, place) in {"yes", "unknown"}
}

# --- complete rules over the partial ones above: wasm evaluates a complete rule once per query,
# but re-evaluates a partial rule at every reference (in loops and functions too) ------------------
scope_regions := {x | some x in each_scope_region}
places := {x | some x in each_place}
counted_trails := {x | some x in each_counted_trail}

# What the selectors answer (records_table) and, with the trail's account, what the trail records (data_answer_table).
records_table := {key: value | some key, value in data_answer_entries}

data_answer_table := {key: {id: with_account(answer, account_coverage(trail_by_id[id], place_by_key[key])) |
	some id, answer in records
} |
	some key, records in records_table
}

trail_by_id := {trail.id: trail | some trail in trails}

place_by_key := {place_key(place, type): place | some place in places; some type in data_event_types}
data_verdict_table := {key: value | some key, value in data_verdict_entries}
coverage_verdict_table := {key: value | some key, value in coverage_verdict_entries}
management_verdict_table := {key: value | some key, value in management_verdict_entries}
