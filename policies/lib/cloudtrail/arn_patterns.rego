# The resources.ARN of a send as a pattern: exact when the input gives every part, else the
# known parts around gaps (account, region, partition, name), matched with regular expressions.
package sescheck.lib.cloudtrail

import data.sescheck.lib.arn

# METADATA
# description: |
#   An ARN as prefix + unknown middle + suffix: exact when every part is known, else the
#   known prefix and suffix around the parts the input does not give.
arn_pattern(place, path, name, unknowns, name_field) := named_arn_pattern(arn_head(place, path), name, unknowns, name_field)

# The parts of an ARN before its name, the same for every resource of a place and type: built
# once by resource_arns, not again for each identity of the place.
arn_head(place, path) := {
	"segments": segments,
	"gaps": gaps,
	"text": concat("", [segment_text(segment) | some segment in segments]),
	# The known parts before the first gap and after the last one (every part, without a gap).
	"prefix": concat("", [segment.text | some segment in array.slice(segments, 0, min(array.concat(gaps, [count(segments)])))]),
	"suffix": concat("", [segment.text | some segment in array.slice(segments, max(array.concat(gaps, [-1])) + 1, count(segments))]),
	"reasons": [reason | some reason in [account_reason(place), region_reason(place)]; reason != ""],
} if {
	segments := [
		{"text": "arn:"},
		{"text": region_partition(place), "placeholder": "<partition>", "gap": "partition"},
		{"text": ":ses:"},
		{"text": place.region, "placeholder": "<region>", "gap": "region"},
		{"text": ":"},
		{"text": place.account, "placeholder": "<account>", "gap": "account"},
		{"text": concat("", [":", path])},
	]
	gaps := [i | some i, segment in segments; not is_string(segment.text)]
}

# Every part known, as for most resources: the text alone, without the segments and reasons.
named_arn_pattern(head, name, unknowns, name_field) := {
	"kind": "arn",
	"exact": true,
	"prefix": text,
	"suffix": "",
	"text": text,
	"reason": "",
} if {
	count(head.gaps) == 0
	is_string(name)
	text := concat("", [head.text, name])
} else := {
	"kind": "arn",
	"exact": false,
	"prefix": head.prefix,
	"suffix": named_suffix(head, name),
	"text": concat("", [head.text, segment_text(name_segment)]),
	"reason": concat(", ", array.concat(head.reasons, [reason | reason := name_reason(name, unknowns, name_field); reason != ""])),
	# The known parts and the gaps, matched against a value only when a condition names an ARN.
	"segments": array.concat(head.segments, [name_segment]),
} if {
	name_segment := {"text": name, "placeholder": "<name>", "gap": "name"}
}

# After the last gap: nothing when the name is unknown, else the head's known end and the name.
named_suffix(head, name) := concat("", [head.suffix, name]) if is_string(name)

else := ""

region_partition(place) := arn.partition_of_region(place.region) if is_string(place.region)

else := null

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

else := segment.placeholder

account_reason(place) := "the account is not in the input" if place.account == null

account_reason(place) := "" if place.account != null

region_reason(place) := sprintf("the region is unknown (%s)", [place.region_unknown]) if not is_string(place.region)

region_reason(place) := "" if is_string(place.region)

# (else, not three bodies: wasm evaluates every body of a function at each call.)
name_reason(name, unknowns, field) := "" if is_string(name)

else := "which of these resources exist is not in the input" if field == "none in the input"

else := sprintf("the %s is unknown (%s)", [field, object.get(unknowns, field, "not given")])
