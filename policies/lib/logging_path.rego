# METADATA
# description: |
#   The logging path: the S3 buckets, CloudWatch log groups and Firehose streams that receive
#   CloudTrail trail logs, SES event publishing (with Firehose error logging) or WorkMail audit
#   logs, each with why it is in the path. The retention rules judge only these.
# schemas:
#   - input: schema.posture
package sescheck.lib.logging_path

import data.sescheck.lib.arn
import data.sescheck.lib.event_bridge
import data.sescheck.lib.result

# A link into the path is an edge: the kind of storage it reaches, the linked object's id
# (ref, or null), the raw name/ARN the input gives, why that value is unknown (or null), the
# object that holds the link (referrer), what the storage receives and, for a bucket, where in
# it the logs are written (key patterns, below).
edge(kind, ref, raw, unknown_reason, referrer, receives, keys) := {
	"kind": kind,
	"ref": ref,
	"raw": raw,
	"unknown": unknown_reason,
	"referrer": referrer,
	"receives": receives,
	"keys": keys,
}

collections := {
	"s3_bucket": object.get(input, "s3_buckets", []),
	"log_group": object.get(input, "log_groups", []),
	"firehose_stream": object.get(input, "firehose_streams", []),
}

# METADATA
# description: A posture object as messages name it (its name, else its id).
label(subject) := subject.name if is_string(object.get(subject, "name", null))

# (else, not a second body: wasm evaluates every body of a function at each call)
else := subject.id

# METADATA
# description: The first reason, among fields, that the object names in its `unknown` map; null if none.
reason(subject, fields) := first if {
	unknowns := object.get(subject, "unknown", {})
	reasons := [r | some field in fields; r := unknowns[field]]
	first := array.concat(reasons, [null])[0]
}

# The edges are arrays, not sets: wasm hashes a whole set element (its referrer too) on every
# insert and on every scan of the set. Whatever reads them collects small values into sets.

# The links into the path that the input's objects hold; a Firehose stream's own links follow
# in stream_edges.
direct_edges := array.concat(
	array.concat(trail_edges, firehose_destination_edges),
	array.concat(event_bus_edges, workmail_edges),
)

# CloudTrail: a trail's bucket and log group.
trail_edges := array.concat(
	[edge("s3_bucket", trail.s3_bucket, trail.s3_bucket_name, reason(trail, ["s3_bucket_name", "s3_bucket"]), trail, trail_receives(trail), trail_keys(trail)) |
		some trail in object.get(input, "trails", [])
	],
	[edge("log_group", trail.log_group, trail.log_group_arn, reason(trail, ["log_group_arn", "log_group"]), trail, trail_receives(trail), []) |
		some trail in object.get(input, "trails", [])
	],
)

# concat, not sprintf: wasm's sprintf calls into JavaScript.
trail_receives(trail) := concat("", ["CloudTrail logs of ", trail_words(trail)])

trail_words(trail) := sprintf("event data store %s", [label(trail)]) if trail.kind == "event_data_store"

trail_words(trail) := sprintf("trail %s", [label(trail)]) if trail.kind != "event_data_store"

# SES event publishing: the Firehose stream of an event destination (the stream's bucket and
# error log group follow in stream_edges).
firehose_destination_edges := [edge("firehose_stream", destination.firehose_stream, destination.firehose_stream_arn, reason(destination, ["firehose_stream_arn", "firehose_stream"]), referrer, receives, []) |
	some configuration_set in object.get(input, "configuration_sets", [])
	some destination in configuration_set.event_destinations
	uses_firehose(destination)
	referrer := object.union(configuration_set, {"location": located(destination.location, configuration_set.location)})
	receives := concat("", ["SES events of configuration set ", label(configuration_set), " via event destination ", label(destination)])
]

# (else, not a body per case: wasm evaluates every body of a function at each call)
uses_firehose(destination) if destination.destination_type == "kinesis_firehose"

else if destination.firehose_stream != null

else if destination.firehose_stream_arn != null

# SES event publishing through EventBridge: the log groups and Firehose streams that rules of the
# destination's bus, matching SES events, deliver to.
event_bus_edges := [object.union(edge(kind, target.target, target.arn, reason(target, ["arn"]), referrer, receives, []), {"maybe": maybe}) |
	some configuration_set in object.get(input, "configuration_sets", [])
	some destination in configuration_set.event_destinations
	destination.destination_type == "event_bridge"
	some bus in object.get(input, "event_buses", [])
	bus.id == object.get(destination, "event_bus", null)
	some rule in bus.rules
	maybe := rule_in_path(rule)
	some target in rule.targets
	kind := event_target_kind(target)
	referrer := object.union(configuration_set, {"location": located(destination.location, configuration_set.location)})
	receives := sprintf("SES events of configuration set %s via event bus %s rule %s", [label(configuration_set), event_bridge.label(bus), label(rule)])
]

# Whether a rule's targets are in the path: null when it is enabled and its event pattern may match
# SES events; why not known when its pattern or its state is unknown (it may send every SES event:
# its targets are maybe in the path, and a rule that would fail one of them says unknown);
# undefined when it matches none or is disabled (it sends nothing).
rule_in_path(rule) := maybe if {
	not event_bridge.rule_disabled(rule)
	pattern := rule_pattern_in_path(rule)
	doubts := [doubt | some doubt in [pattern, rule_state_doubt(rule)]; doubt != null]
	maybe := rule_doubts(doubts)
}

rule_doubts(doubts) := null if count(doubts) == 0

else := concat("; ", doubts)

rule_state_doubt(rule) := concat("", ["the state of rule ", label(rule), " is ", doubt]) if {
	doubt := event_bridge.state_doubt(rule)
	doubt != null
} else := null

# What the pattern says: null when it may match SES events, why when it is unknown; undefined when it matches none.
rule_pattern_in_path(rule) := null if {
	is_string(rule.event_pattern)
	match := event_bridge.pattern_match(rule.event_pattern)
	count(match.sure | match.maybe) > 0
} else := concat("", ["the event pattern of rule ", label(rule), " is unknown (", reason, ")"]) if {
	rule.event_pattern == null
	reason := event_bridge.unknown_reason(rule, "event_pattern")
}

event_target_kind(target) := kind if {
	some kind in ["log_group", "firehose_stream"]
	some subject in collections[kind]
	subject.id == target.target
} else := kind if {
	kind := {"logs": "log_group", "firehose": "firehose_stream"}[arn.part(target.arn, "service")]
}

# METADATA
# description: An event destination's own location, else its configuration set's.
located(own, _) := own if own != null

located(null, fallback) := fallback

# WorkMail audit logs: delivery source -> delivery -> delivery destination -> its target.
workmail_edges := array.concat(
	[edge(target_kind(destination), destination.target, destination.destination_resource_arn, reason(destination, ["destination_resource_arn", "target"]), destination, receives, delivery_keys(source, delivery, destination)) |
		some source in workmail_sources
		some delivery in deliveries_of(source)
		destination := destination_of(delivery)
		receives := sprintf("WorkMail %s via delivery %s", [workmail_words(source), label(delivery)])
	],
	# A delivery whose delivery destination is not in the input: its storage cannot be told.
	[edge("unknown", null, delivery.delivery_destination_arn, reason(delivery, ["delivery_destination_arn", "delivery_destination"]), delivery, receives, []) |
		some source in workmail_sources
		some delivery in deliveries_of(source)
		not destination_of(delivery)
		receives := sprintf("WorkMail %s via delivery %s", [workmail_words(source), label(delivery)])
	],
)

# METADATA
# description: Whether an ARN is a WorkMail organization's.
workmail_organization_arn(text) if {
	parts := arn.parse(text)
	parts.service == "workmail"
	parts.region != ""
	regex.match(`^organization/.+$`, parts.resource)
}

# The delivery sources of WorkMail audit logs; one whose resource ARN is unknown counts when
# its log type is a WorkMail one.
each_workmail_source contains source if {
	some source in object.get(input, "delivery_sources", [])
	is_string(source.resource_arn)
	workmail_organization_arn(source.resource_arn)
}

each_workmail_source contains source if {
	some source in object.get(input, "delivery_sources", [])
	source.resource_arn == null
	reason(source, ["resource_arn"]) != null
	workmail_log_type(source.log_type)
}

# A source linked to an aws_workmail_organization whose ARN is known only after apply.
each_workmail_source contains source if {
	some source in object.get(input, "delivery_sources", [])
	source.resource_arn == null
	object.get(source, "workmail_organization", null) != null
}

workmail_log_type(log_type) if log_type in {"ACCESS_CONTROL_LOGS", "AUTHENTICATION_LOGS"}

workmail_log_type(log_type) if {
	is_string(log_type)
	startswith(log_type, "WORKMAIL_")
}

workmail_log_type(log_type) if log_type in data.settings.workmail.required_log_types

workmail_words(source) := sprintf("%s of organization %s", [log_type_words(source), organization_words(source)])

log_type_words(source) := source.log_type if is_string(source.log_type)

log_type_words(source) := "audit logs (log type unknown)" if not is_string(source.log_type)

organization_words(source) := source.resource_arn if is_string(source.resource_arn)

organization_words(source) := source.workmail_organization if {
	not is_string(source.resource_arn)
	object.get(source, "workmail_organization", null) != null
}

organization_words(source) := sprintf("unknown (delivery source %s)", [label(source)]) if {
	not is_string(source.resource_arn)
	object.get(source, "workmail_organization", null) == null
}

# METADATA
# description: The deliveries from a delivery source, by link or by the source's name.
deliveries_of(source) := {delivery |
	some delivery in object.get(input, "deliveries", [])
	joins(delivery, source)
}

joins(delivery, source) if delivery.delivery_source == source.id

joins(delivery, source) if {
	delivery.delivery_source == null
	is_string(source.name)
	delivery.delivery_source_name == source.name
	same_region(delivery, source)
}

# Delivery sources are named per account and region: a name joins only within them (unknown matches).
same_region(a, b) if {
	not different(a.account, b.account)
	not different(a.region, b.region)
}

different(x, y) if {
	is_string(x)
	is_string(y)
	x != y
}

# METADATA
# description: The delivery destination of a delivery, by link or by ARN, when it is in the input.
destination_of(delivery) := destination if {
	some destination in object.get(input, "delivery_destinations", [])
	destination.id == delivery.delivery_destination
}

destination_of(delivery) := destination if {
	delivery.delivery_destination == null
	is_string(delivery.delivery_destination_arn)
	some destination in object.get(input, "delivery_destinations", [])
	destination.arn == delivery.delivery_destination_arn
}

# The kind of a delivery destination's target: the collection holding it, else its type, else its ARN.
target_kind(destination) := kind if {
	some kind, objects in collections
	some target in objects
	target.id == destination.target
}

target_kind(destination) := kind if {
	not target_in_input(destination)
	kind := {"cwl": "log_group", "s3": "s3_bucket", "fh": "firehose_stream"}[destination.destination_type]
}

target_kind(destination) := kind if {
	not target_in_input(destination)
	not destination.destination_type in {"cwl", "s3", "fh"}
	kind := arn_kind(destination.destination_resource_arn)
}

target_kind(destination) := "unknown" if {
	not target_in_input(destination)
	not destination.destination_type in {"cwl", "s3", "fh"}
	not arn_kind(destination.destination_resource_arn)
}

target_in_input(destination) if {
	some objects in collections
	some target in objects
	target.id == destination.target
}

arn_kind(text) := {"logs": "log_group", "s3": "s3_bucket", "firehose": "firehose_stream"}[arn.parse(text).service]

# A Firehose stream in the path puts its bucket, and its error log group, in the path too.
stream_edges := array.concat(
	[object.union(edge("s3_bucket", stream.s3_bucket, stream.s3_bucket_arn, reason(stream, ["s3_bucket_arn", "s3_bucket"]), stream, receives, maybe_keys(stream_keys(stream, name), maybe_of(carried))), {"maybe": maybe_of(carried)}) |
		some [carried, stream, name] in carried_streams
		receives := concat("", [carried.receives, " through Firehose stream ", name])
	],
	[object.union(edge("log_group", logging.log_group, logging.log_group_name, reason(stream, ["cloudwatch_logging.log_group_name"]), stream, receives, []), {"maybe": maybe_of(carried)}) |
		some [carried, stream, name] in carried_streams
		logging := stream.cloudwatch_logging
		logging.enabled != false
		receives := concat("", ["the error logs of Firehose stream ", name, ", which carries ", carried.receives])
	],
)

# Why a link may carry nothing into the path (an EventBridge rule whose pattern is unknown), or null.
maybe_of(linked) := object.get(linked, "maybe", null)

# The key patterns of a writer that may write nothing carry why (RT-001 says unknown, not fail, for
# what only they would fail).
maybe_keys(keys, maybe) := keys if {
	maybe == null
} else := [object.union(key, {"maybe": maybe}) | some key in keys]

# Each link to a Firehose stream in the input, with the stream and its label: looked up once for
# both of the stream's edges (wasm does not memoize functions).
carried_streams := [[carried, stream, label(stream)] |
	some carried in direct_edges
	carried.kind == "firehose_stream"
	some stream in with_id("firehose_stream", carried.ref)
]

# Rules, unlike functions, are evaluated once per query, also in wasm: these indexes, keyed by
# kind and id, keep the lookups below linear in the size of the input.

# The ids of the input's objects, by kind.
ids := {kind: {subject.id | some subject in objects} | some kind, objects in collections}

edges := array.concat(direct_edges, stream_edges)

# The edges of each kind.
edges_by_kind := {kind: [linked | some linked in edges; linked.kind == kind] | some kind in {linked.kind | some linked in edges}}

# The ids that edges name, by kind: an object of the input whose id is among them is reached (no
# lookup of each id in `ids` first: member_table looks up only the ids of the input's objects).
# (A set is looked up by key, not with `in`: wasm's `in` scans the whole set.)
reached := {kind: {linked.ref | some linked in object.get(edges_by_kind, kind, [])} | some kind, _ in collections}

# METADATA
# description: |
#   Live: the object of that kind and id is a stand-in for storage that does not exist (a bucket,
#   a stream): whatever is written to it is lost.
does_not_exist(kind, id) if {
	some subject in with_id(kind, id)
	object.get(subject, "exists", true) == false
}

# A stand-in for storage that does not exist (live) keeps nothing: the rules that name the link fail it.
# (Arrays: a set of whole objects is hashed deeply on every insert and scan.)
member_table := {kind: [subject |
	some subject in objects
	reached[kind][subject.id] == subject.id
	object.get(subject, "exists", true) != false
] |
	some kind, objects in collections
}

# Why each id an edge names is in the path, by kind and id: each id's texts sorted and joined.
# Grouped by key in a partial rule (a scan per id would be quadratic in wasm), read through a
# complete rule (wasm evaluates a partial rule again at every reference).
why_table := {key: concat("; ", sort(texts)) | some key, texts in each_why}

# concat, not sprintf: wasm's sprintf calls into JavaScript.
each_why[[linked.kind, linked.ref]] contains why_text(linked) if {
	some linked in edges
	linked.ref != null
}

# What a link carries, with why it may carry nothing.
receives_text(linked) := linked.receives if {
	maybe_of(linked) == null
} else := concat("", [linked.receives, " (if any: ", linked.maybe, ")"])

# What a link carries into the storage it names, as a message says it.
why_text(linked) := concat("", ["receives ", linked.receives]) if {
	maybe_of(linked) == null
} else := concat("", ["may receive ", linked.receives, ": ", linked.maybe])

# Path members that every link to may carry nothing (maybe_of), by kind and id (true). A rule that
# would fail such a member says unknown (member_finding).
maybe_table := {kind: {ref: true |
	some linked in kind_edges
	maybe_of(linked) != null
	ref := linked.ref
	ref != null
	not certain_refs[kind][ref]
} |
	some kind, kind_edges in edges_by_kind
}

# The ids that a link surely carrying something names, by kind.
certain_refs := {kind: {linked.ref | some linked in kind_edges; maybe_of(linked) == null} | some kind, kind_edges in edges_by_kind}

# METADATA
# description: |
#   A failing verdict about a path member, for a rule about storage of that kind: unknown instead
#   when every link to the member may carry nothing (an EventBridge rule whose pattern is unknown);
#   why(kind, subject), in the message, says so.
member_finding(meta, kind, subject, message) := result.unknown(meta, subject, message) if {
	object.get(maybe_table, kind, {})[subject.id]
} else := result.fail(meta, subject, message)

# The objects of a kind by id, when their ids are unique (as in any posture document the
# adapters produce); undefined otherwise, so with_id falls back to a scan.
unique_index := {kind: {subject.id: subject | some subject in objects} |
	some kind, objects in collections
	count(ids[kind]) == count(objects)
}

# METADATA
# description: The objects of a kind (s3_bucket, log_group, firehose_stream) in the input with this id.
with_id(kind, id) := [subject | subject := unique_index[kind][id]] if unique_index[kind]

else := [subject | some subject in collections[kind]; subject.id == id]

# METADATA
# description: The objects of a kind in the path (from input), each judged once.
members(kind) := object.get(member_table, kind, [])

# METADATA
# description: Why a path member is in the path, as a message says it ("receives ...; receives ...").
why(kind, subject) := text if {
	text := why_table[[kind, subject.id]]
} else := ""

# An edge that reaches nothing in the input. (else, not a second body: wasm evaluates every body
# of a function at each call.)
dangling(linked) if {
	linked.ref == null
} else if {
	linked.ref != null
	not object.get(ids, linked.kind, set())[linked.ref] == linked.ref
}

# The dangling edges, by kind.
dangling_by_kind := {kind: [linked | some linked in kind_edges; dangling(linked)] | some kind, kind_edges in edges_by_kind}

# METADATA
# description: |
#   Path members named by the input but not in it, keyed by name: each with a subject to report
#   and why it is in the path. kind "unknown" collects log destinations of unknown storage kind.
absent(kind) := object.get(absent_table, kind, {})

absent_table := {kind: {name: {"subject": min(subjects), "why": concat("; ", sort(reasons))} |
	some name in {name | some linked in unmatched; name := raw_name(linked)}
	subjects := {absent_subject(other) |
		some other in unmatched
		raw_name(other) == name
	}
	reasons := {why_text(other) |
		some other in unmatched
		raw_name(other) == name
	}
} |
	some kind, unmatched in dangling_by_kind
}

raw_name(linked) := storage_name(linked.kind, linked.raw) if is_string(linked.raw)

raw_name(linked) := linked.ref if {
	not is_string(linked.raw)
	linked.ref != null
}

# The same storage may be written as a name or as an ARN; both give its name.
storage_name(kind, raw) := arn_name(kind, raw)

storage_name(kind, raw) := raw if not arn_name(kind, raw)

# A bucket ARN may name a key prefix after the bucket (a delivery destination's does).
arn_name("s3_bucket", raw) := split(parts.resource, "/")[0] if {
	parts := arn.parse(raw)
	parts.service == "s3"
	parts.resource != ""
}

arn_name("log_group", raw) := split(parts.resource, ":")[1] if {
	parts := arn.parse(raw)
	startswith(parts.resource, "log-group:")
}

arn_name("firehose_stream", raw) := trim_prefix(arn.parse(raw).resource, "deliverystream/")

# What a finding about an absent member points at: its name, the region and account its ARN
# gives (else the referrer's account), and the referrer's location.
absent_subject(linked) := {
	"id": raw_name(linked),
	"account": arn_part(linked.raw, "account", linked.referrer.account),
	"region": arn_part(linked.raw, "region", null),
	"location": object.get(linked.referrer, "location", null),
}

arn_part(text, name, _) := arn.part(text, name)

arn_part(text, name, fallback) := fallback if not arn.part(text, name)

# METADATA
# description: |
#   Links into the path whose target cannot be told (no link, value unknown): each with the
#   referrer to report, why it is in the path and why the value is unknown.
unresolved(kind) := object.get(unresolved_table, kind, set())

unresolved_table := {kind: {{"subject": linked.referrer, "receives": receives_text(linked), "unknown": linked.unknown} |
	some linked in unmatched
	not raw_name(linked)
	linked.unknown != null
} |
	some kind, unmatched in dangling_by_kind
}

# METADATA
# description: |
#   What a rule about storage of one kind (s3_bucket, log_group) cannot judge, each as the subject
#   and message of an unknown finding: that storage, the Firehose streams delivering to it and log
#   destinations of unknown kind when the input names them but does not hold them, and the links
#   into the path whose target cannot be told. words names the storage (storage, a_storage), what
#   the rule reads of it (settings, verdict) and what a stream delivers to (through_stream).
unjudged(kind, words) := (({{"subject": entry.subject, "message": sprintf("%s %s %s but is not in the input; %s cannot be judged", [
	words.storage, name, entry.why, words.settings,
])} |
	some name, entry in absent(kind)
} | {{"subject": entry.subject, "message": sprintf("Firehose stream %s %s but is not in the input; %s cannot be judged", [
	name, entry.why, words.through_stream,
])} |
	some name, entry in absent("firehose_stream")
}) | {{"subject": entry.subject, "message": sprintf("log destination %s %s but is not in the input; cannot tell whether it is %s, nor judge %s", [
	name, entry.why, words.a_storage, words.verdict,
])} |
	some name, entry in absent("unknown")
}) | {{"subject": entry.subject, "message": sprintf("the log destination that receives %s is unknown (%s); %s cannot be judged", [
	entry.receives, entry.unknown, words.verdict,
])} |
	some linked_kind in {kind, "firehose_stream", "unknown"}
	some entry in unresolved(linked_kind)
}

# METADATA
# description: |
#   Why a link to storage of a kind reaches nothing in the input, in words: "is not in the input
#   (RAW)" when the input names it, "is unknown (WHY)", or "is not named"; undefined when the link
#   reaches an object. fields name the referrer's link and raw value, raw first.
unreached(kind, referrer, fields) := unreached_words(referrer, fields) if {
	# Looked up once, not in each branch: most links reach an object, and each branch failed on it.
	count(with_id(kind, object.get(referrer, fields[1], null))) == 0
}

unreached_words(referrer, fields) := sprintf("is not in the input (%s)", [raw]) if {
	raw := object.get(referrer, fields[0], null)
	is_string(raw)
} else := sprintf("is unknown (%s)", [why]) if {
	why := reason(referrer, fields)
	why != null
} else := "is not named"

# --- what a live scan reads ----------------------------------------------------------------------

# METADATA
# description: |
#   The storage the path names that the input does not hold yet, for a live scan to read next:
#   kind, name, region (from the ARN, else the referrer's), the ARN or name the input gives (raw)
#   and who names it. The scan reads the Firehose streams listed after collecting trails, SES
#   and log deliveries, then the buckets and log groups listed once the streams are in: so the
#   path is decided here alone, and a scan reads nothing outside it.
to_read := {{
	"kind": linked.kind,
	"name": raw_name(linked),
	"region": arn_part(linked.raw, "region", object.get(linked.referrer, "region", null)),
	"raw": linked.raw,
	"named_by": referrer_words(linked.referrer),
} |
	some kind in ["s3_bucket", "log_group", "firehose_stream"]
	some linked in object.get(dangling_by_kind, kind, [])
	is_string(linked.raw)
}

# A referrer as the scan's notes name it (trail NAME, configuration set NAME...).
referrer_words(referrer) := array.concat(
	[sprintf("%s %s", [words, label(referrer)]) |
		some [collection, words] in [
			["trails", "trail"],
			["configuration_sets", "configuration set"],
			["firehose_streams", "Firehose stream"],
			["delivery_destinations", "delivery destination"],
			["deliveries", "delivery"],
		]
		some other in object.get(input, collection, [])
		other.id == referrer.id
	],
	[label(referrer)],
)[0]

# --- where the logs are written in a bucket -----------------------------------------------------

# METADATA
# description: |
#   A key pattern: what writes (writes), the fixed start of every key it writes (literal), what
#   follows that start (rest: "account" a 12-digit account id then "/", "time" Firehose's default
#   yyyy/MM/dd/HH/ prefix, "any" anything) and why the layout is unknown (null when known).
key_pattern(writes, literal, rest, unknown_reason) := {"writes": writes, "literal": literal, "rest": rest, "unknown": unknown_reason}

# A trail writes <s3_key_prefix>/AWSLogs/<account>/CloudTrail/ (and CloudTrail-Digest/,
# CloudTrail-Insight/); an organization trail puts the organization id before the account.
trail_keys(trail) := [key_pattern(writes, "", "any", why)] if {
	writes := sprintf("the log files of %s", [trail_words(trail)])
	why := reason(trail, ["s3_key_prefix"])
	why != null
} else := [key_pattern(writes, concat("", [base, "AWSLogs/"]), "any", null)] if {
	writes := sprintf("the log files of %s", [trail_words(trail)])
	base := key_base(object.get(trail, "s3_key_prefix", null))
	object.get(trail, "organization", false) != false
} else := [key_pattern(writes, concat("", [base, "AWSLogs/", trail.account, "/CloudTrail"]), "any", null)] if {
	writes := sprintf("the log files of %s", [trail_words(trail)])
	base := key_base(object.get(trail, "s3_key_prefix", null))
	is_string(object.get(trail, "account", null))
} else := [key_pattern(sprintf("the log files of %s", [trail_words(trail)]), concat("", [key_base(object.get(trail, "s3_key_prefix", null)), "AWSLogs/"]), "account", null)]

key_base(prefix) := "" if prefix in {null, ""}

key_base(prefix) := concat("", [trim_suffix(prefix, "/"), "/"]) if not prefix in {null, ""}

# A Firehose stream writes its records under prefix (default: the UTC time, yyyy/MM/dd/HH/) and
# the records it failed to process under error_output_prefix, both up to their first !{...}.
# (concat, not sprintf, where every part is a string: wasm's sprintf is a call into JavaScript
# that serializes its arguments; and the words are built once, not in each branch.)
stream_keys(stream, name) := [
	stream_data_keys(stream, concat("", ["the records Firehose stream ", name, " delivers"])),
	stream_error_keys(stream, concat("", ["the failed records of Firehose stream ", name])),
]

stream_data_keys(stream, writes) := key_pattern(writes, "", "any", why) if {
	object.get(stream, "prefix", null) == null
	why := reason(stream, ["prefix"])
	why != null
} else := key_pattern(writes, "", "time", null) if {
	object.get(stream, "prefix", null) in {null, ""}
} else := key_pattern(writes, fixed_start(stream.prefix), "any", null)

stream_error_keys(stream, writes) := key_pattern(writes, "", "any", why) if {
	object.get(stream, "error_output_prefix", null) == null
	why := reason(stream, ["error_output_prefix"])
	why != null
} else := key_pattern(writes, "", "any", why) if {
	object.get(stream, "error_output_prefix", null) in {null, ""}
	why := "it sets no error_output_prefix, and Firehose does not document the keys of failed records then"
} else := key_pattern(writes, fixed_start(stream.error_output_prefix), "any", null)

# The part of a Firehose prefix before its first !{namespace:value} expression.
fixed_start(prefix) := substring(prefix, 0, indexof(prefix, "!{")) if contains(prefix, "!{")

else := prefix

# A vended log delivery writes under the path of its destination's bucket ARN, then
# AWSLogs/<account>/<service>/...; a suffix path or a Hive-compatible path changes that layout.
delivery_keys(source, delivery, destination) := [] if {
	target_kind(destination) != "s3_bucket"
} else := [key_pattern(writes, "", "any", why)] if {
	writes := sprintf("the WorkMail %s that delivery %s writes", [log_type_words(source), label(delivery)])
	why := delivery_layout_unknown(delivery, destination)
} else := [key_pattern(writes, concat("", [key_base(destination_path(destination.destination_resource_arn)), "AWSLogs/", account, "/"]), "any", null)] if {
	writes := sprintf("the WorkMail %s that delivery %s writes", [log_type_words(source), label(delivery)])
	account := arn.part(object.get(source, "resource_arn", null), "account")
} else := [key_pattern(
	sprintf("the WorkMail %s that delivery %s writes", [log_type_words(source), label(delivery)]),
	concat("", [key_base(destination_path(destination.destination_resource_arn)), "AWSLogs/"]),
	"account",
	null,
)]

delivery_layout_unknown(delivery, destination) := sprintf("the bucket ARN of delivery destination %s is unknown (%s)", [label(destination), why]) if {
	not is_string(object.get(destination, "destination_resource_arn", null))
	why := object.get(object.get(destination, "unknown", {}), "destination_resource_arn", "not given")
} else := sprintf("delivery %s sets a suffix path (%s), whose keys sescheck does not model", [label(delivery), delivery.s3_suffix_path]) if {
	is_string(object.get(delivery, "s3_suffix_path", null))
	delivery.s3_suffix_path != ""
} else := sprintf("delivery %s writes Hive-compatible paths, whose keys sescheck does not model", [label(delivery)]) if {
	object.get(delivery, "s3_hive_compatible_path", false) == true
} else := sprintf("the suffix path of delivery %s is unknown (%s)", [label(delivery), why]) if {
	why := reason(delivery, ["s3_suffix_path", "s3_hive_compatible_path"])
	why != null
}

# The key prefix in a bucket ARN (arn:aws:s3:::bucket/prefix), or null.
destination_path(arn_text) := concat("/", array.slice(parts, 1, count(parts))) if {
	parts := split(arn.parse(arn_text).resource, "/")
	count(parts) > 1
} else := null

# The key patterns written into each bucket of the path, by bucket id: a complete rule over the
# partial one, which wasm would evaluate again at every reference; grouped by key, not by a scan
# of every edge per bucket (quadratic).
bucket_keys := {id: patterns | some id, patterns in each_bucket_key}

each_bucket_key[linked.ref] contains pattern if {
	some linked in object.get(edges_by_kind, "s3_bucket", [])
	linked.ref != null
	some pattern in linked.keys
}

# METADATA
# description: The key patterns of the logs written into a bucket of the path.
writers(bucket) := object.get(bucket_keys, bucket.id, set())

# --- complete rules over the partial ones above: wasm evaluates a complete rule once per query,
# but re-evaluates a partial rule at every reference (in loops and functions too) ------------------
workmail_sources := {x | some x in each_workmail_source}
