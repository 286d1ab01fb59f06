# METADATA
# description: |
#   Which SES events an EventBridge bus keeps: an archive whose retention is within the
#   retention bounds, or an enabled rule matching aws.ses events with a durable target (a
#   Firehose stream delivering to S3, a CloudWatch log group). Each keeper keeps some SES event
#   types surely, and may keep others (a value or a pattern sescheck cannot read); a bus whose
#   archives and rules are not all in the input may keep more.
# schemas:
#   - input: schema.posture
package sescheck.lib.event_bridge

import data.sescheck.lib.arn
import data.sescheck.lib.logging_path
import data.sescheck.lib.retention

# The SES event type of each detail-type SES gives its events on EventBridge (source aws.ses).
detail_types := {
	"Email Sent": "SEND",
	"Email Delivered": "DELIVERY",
	"Email Bounced": "BOUNCE",
	"Email Complaint Received": "COMPLAINT",
	"Email Rejected": "REJECT",
	"Email Opened": "OPEN",
	"Email Clicked": "CLICK",
	"Email Rendering Failed": "RENDERING_FAILURE",
	"Email Delivery Delayed": "DELIVERY_DELAY",
	"Email Subscribed": "SUBSCRIPTION",
}

all_types := {event_type | some event_type in detail_types}

# METADATA
# description: The bus an EventBridge event destination publishes to, when it is in the input.
bus_of(destination) := bus if {
	some bus in object.get(input, "event_buses", [])
	bus.id == object.get(destination, "event_bus", null)
}

# METADATA
# description: A bus as messages name it.
label(bus) := bus.arn if is_string(bus.arn)

label(bus) := bus.id if not is_string(bus.arn)

# --- event patterns ---------------------------------------------------------------------------

# METADATA
# description: |
#   What an event pattern (JSON text) matches of SES events: {"sure": types it matches whatever
#   the rest of the pattern, "maybe": types it may match, "why": why only maybe}.
pattern_match(text) := {"sure": sure, "maybe": maybe, "why": why} if {
	pattern := json.unmarshal(text)
	is_object(pattern)
	types := source_types(pattern) & detail_type_types(pattern)
	filters := unread_filters(pattern)
	sure := {t | count(filters) == 0; some t in types}
	maybe := {t | count(filters) > 0; some t in types} | {t | some t in content_filtered(pattern)}
	why := concat("; ", sort(filters | content_filter_words(pattern)))
}

pattern_match(text) := {"sure": set(), "maybe": set(), "why": "its event pattern is not a JSON object"} if {
	not is_object(json.unmarshal(text))
}

# No source condition matches every source; a list matches aws.ses when it names it.
source_types(pattern) := all_types if not "source" in object.keys(pattern)

source_types(pattern) := all_types if "aws.ses" in pattern.source

source_types(pattern) := set() if {
	"source" in object.keys(pattern)
	not "aws.ses" in pattern.source
}

detail_type_types(pattern) := all_types if not "detail-type" in object.keys(pattern)

detail_type_types(pattern) := {detail_types[name] |
	some name in pattern["detail-type"]
	is_string(name)
	detail_types[name]
} if "detail-type" in object.keys(pattern)

# Conditions on other fields (detail, account, region...) keep only some events of a type.
unread_filters(pattern) := {sprintf("its event pattern also filters on %s, which sescheck does not evaluate", [key]) |
	some key, _ in pattern
	not key in {"source", "detail-type"}
}

# Content filters (prefix, anything-but...) on source or detail-type may match SES events.
content_filtered(pattern) := all_types if {
	some key in ["source", "detail-type"]
	some condition in object.get(pattern, key, [])
	not is_string(condition)
} else := set()

content_filter_words(pattern) := {sprintf("its event pattern filters %s with a content filter, which sescheck does not evaluate", [key]) |
	some key in ["source", "detail-type"]
	some condition in object.get(pattern, key, [])
	not is_string(condition)
}

# --- keepers --------------------------------------------------------------------------------

unknown_reason(subject, field) := object.get(subject, "unknown", {})[field]

# METADATA
# description: |
#   Each archive and rule of a bus with what it keeps: {"what", "sure", "maybe", "why"}; sure
#   and maybe are SES event types, why says why the maybe types are not sure.
keepers(bus) := keeper_table[bus.id] if unique_bus_ids[bus.id] == bus.id

keepers(bus) := bus_keepers(bus) if not unique_bus_ids[bus.id]

bus_keepers(bus) := {keeper | some archive in bus.archives; keeper := archive_keeper(archive)} | {keeper |
	some rule in bus.rules
	keeper := rule_keeper(rule)
}

# Functions are not memoized in wasm, and every identity of a configuration set asks what its bus
# keeps: each bus's keepers and kept types are computed once, in tables keyed by bus id.
buses := object.get(input, "event_buses", [])

unique_bus_ids := {bus.id |
	some bus in buses
	count([other | some other in buses; other.id == bus.id]) == 1
}

keeper_table := {bus.id: bus_keepers(bus) | some bus in buses; unique_bus_ids[bus.id] == bus.id}

kept_table := {bus.id: bus_kept_types(bus) | some bus in buses; unique_bus_ids[bus.id] == bus.id}

archive_keeper(archive) := object.union(match, {"what": what, "refused": refused}) if {
	what := sprintf("archive %s", [name(archive)])
	match := archive_match(archive)
	refused := archive_refusal(archive)
}

archive_match(archive) := {"sure": all_types, "maybe": set(), "why": ""} if {
	archive.event_pattern == null
	not unknown_reason(archive, "event_pattern")
}

archive_match(archive) := pattern_match(archive.event_pattern) if is_string(archive.event_pattern)

archive_match(archive) := {"sure": set(), "maybe": all_types, "why": sprintf("its event pattern is unknown (%s)", [reason])} if {
	archive.event_pattern == null
	reason := unknown_reason(archive, "event_pattern")
}

# Why an archive keeps nothing for long enough, or "" when it does; "?..." when that is unknown.
archive_refusal(archive) := sprintf("it is %s", [archive.state]) if {
	is_string(archive.state)
	not upper(archive.state) in {"ENABLED", "CREATING", "UPDATING"}
} else := sprintf("?its retention is unknown (%s)", [reason]) if {
	reason := unknown_reason(archive, "retention_days")
} else := sprintf("it keeps events indefinitely, beyond the %d days maximum", [retention.max_days]) if {
	archive.retention_days == null
	retention.max_days != null
} else := sprintf("it keeps events %d days, below the %d days minimum", [archive.retention_days, retention.min_days]) if {
	archive.retention_days != null
	retention.below_min(archive.retention_days)
} else := sprintf("it keeps events %d days, beyond the %d days maximum", [archive.retention_days, retention.max_days]) if {
	archive.retention_days != null
	retention.above_max(archive.retention_days)
} else := ""

rule_keeper(rule) := object.union(rule_match(rule), {"what": sprintf("rule %s", [name(rule)]), "refused": rule_refusal(rule)})

rule_match(rule) := pattern_match(rule.event_pattern) if is_string(rule.event_pattern)

rule_match(rule) := {"sure": set(), "maybe": set(), "why": ""} if {
	rule.event_pattern == null
	not unknown_reason(rule, "event_pattern")
}

rule_match(rule) := {"sure": set(), "maybe": all_types, "why": sprintf("its event pattern is unknown (%s)", [reason])} if {
	rule.event_pattern == null
	reason := unknown_reason(rule, "event_pattern")
}

# METADATA
# description: Whether a rule sends nothing. Only DISABLED does; a state sescheck does not know is a doubt (state_doubt).
rule_disabled(rule) if upper(rule.state) == "DISABLED"

# METADATA
# description: |
#   Why a rule's state leaves in doubt whether it sends ("unknown (why)", or "X, which sescheck does
#   not know"); null when the state is known (ENABLED..., DISABLED, or absent, which is ENABLED).
#   CS-003 and the logging path word it each in their messages.
state_doubt(rule) := concat("", ["unknown (", reason, ")"]) if {
	rule.state == null
	reason := unknown_reason(rule, "state")
} else := concat("", [rule.state, ", which sescheck does not know"]) if {
	is_string(rule.state)
	not startswith(upper(rule.state), "ENABLED")
	not rule_disabled(rule)
} else := null

rule_refusal(rule) := sprintf("it is %s", [rule.state]) if {
	rule_disabled(rule)
} else := concat("", ["?its state is ", doubt]) if {
	doubt := state_doubt(rule)
	doubt != null
} else := "" if {
	some target in rule.targets
	target_durable(target) == ""
} else := sprintf("?%s", [concat("; ", sort(doubts))]) if {
	doubts := {trim_prefix(doubt, "?") | some target in rule.targets; doubt := target_durable(target); startswith(doubt, "?")}
	count(doubts) > 0
} else := sprintf("?its targets are unknown (%s)", [reason]) if {
	reason := unknown_reason(rule, "targets")
} else := "no target stores events (a Firehose stream delivering to S3, a CloudWatch log group)"

# "" when the target stores events; a "?reason" when that cannot be told; a reason otherwise.
target_durable(target) := "" if {
	arn.part(target.arn, "service") == "logs"
} else := "" if {
	count(logging_path.with_id("log_group", target.target)) > 0
} else := "" if {
	some stream in logging_path.with_id("firehose_stream", target.target)
	stream.destination in {"extended_s3", "s3"}
	object.get(stream, "exists", true) != false
	not logging_path.does_not_exist("s3_bucket", object.get(stream, "s3_bucket", null))
} else := sprintf("the S3 bucket of Firehose stream %s does not exist", [target.arn]) if {
	some stream in logging_path.with_id("firehose_stream", target.target)
	logging_path.does_not_exist("s3_bucket", object.get(stream, "s3_bucket", null))
} else := sprintf("Firehose stream %s does not exist", [target.arn]) if {
	some stream in logging_path.with_id("firehose_stream", target.target)
	object.get(stream, "exists", true) == false
} else := sprintf("?the destination of Firehose stream %s is unknown", [logging_path.label(stream)]) if {
	some stream in logging_path.with_id("firehose_stream", target.target)
	stream.destination == null
} else := sprintf("?Firehose stream %s is not in the input", [target.arn]) if {
	arn.part(target.arn, "service") == "firehose"
	count(logging_path.with_id("firehose_stream", target.target)) == 0
} else := sprintf("?target arn is unknown (%s)", [reason]) if {
	reason := unknown_reason(target, "arn")
} else := "not a store"

name(subject) := subject.name if is_string(subject.name)

name(subject) := subject.id if not is_string(subject.name)

# METADATA
# description: The SES event types a bus surely keeps.
kept_types(bus) := kept_table[bus.id] if unique_bus_ids[bus.id] == bus.id

kept_types(bus) := bus_kept_types(bus) if not unique_bus_ids[bus.id]

bus_kept_types(bus) := {event_type |
	some keeper in keepers(bus)
	keeper.refused == ""
	some event_type in keeper.sure
}

# METADATA
# description: |
#   Why the bus may keep some of the wanted event types that kept_types does not show: a keeper
#   whose pattern, retention, state or target cannot be read, archives or rules that could not be
#   listed, or a bus whose rules are not all in the input. Empty when none.
doubts(bus, wanted) := (keeper_doubts(bus, wanted) | listing_doubts(bus)) | outside_doubts(bus) if {
	count(wanted - kept_types(bus)) > 0
} else := set()

keeper_doubts(bus, wanted) := {sprintf("%s of bus %s: %s", [keeper.what, label(bus), trim_prefix(keeper.refused, "?")]) |
	some keeper in keepers(bus)
	startswith(keeper.refused, "?")
	count((keeper.sure | keeper.maybe) & wanted) > 0
} | {sprintf("%s of bus %s: %s", [keeper.what, label(bus), keeper.why]) |
	some keeper in keepers(bus)
	keeper.refused == ""
	count((keeper.maybe - kept_types(bus)) & wanted) > 0
}

listing_doubts(bus) := {sprintf("the %s of bus %s are unknown (%s)", [field, label(bus), reason]) |
	some field in ["archives", "rules"]
	reason := unknown_reason(bus, field)
}

outside_doubts(bus) := {sprintf("other archives and rules of bus %s may exist outside the input", [label(bus)]) | not bus.complete}

# METADATA
# description: Why an archive or rule of the bus keeps none of the SES events, for messages.
refusals(bus) := {sprintf("%s: %s", [keeper.what, keeper.refused]) |
	some keeper in keepers(bus)
	count(keeper.sure | keeper.maybe) > 0
	keeper.refused != ""
	not startswith(keeper.refused, "?")
}
