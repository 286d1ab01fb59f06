# METADATA
# title: Log buckets expire their objects within the retention bounds
# description: |
#   Every S3 bucket in the logging path (receiving CloudTrail logs, SES events through
#   Firehose, or WorkMail audit logs) must expire the logs it receives after between
#   retention.min_days and retention.max_days days (defaults 35 and 540). The rule models where
#   each writer puts its logs (a trail under <s3_key_prefix>/AWSLogs/<account>/, a Firehose
#   stream under its prefix, default yyyy/MM/dd/HH/, and its error_output_prefix, a vended log
#   delivery under its bucket ARN's path then AWSLogs/<account>/) and applies every enabled
#   lifecycle rule whose filter can match those keys: S3 honours the shortest expiration, so the
#   shortest decides the minimum, and the logs no rule covers whole are kept forever. A rule whose
#   prefix cannot meet the keys is ignored; one that cannot be decided (unknown prefix or account
#   where it matters, a tag filter) is unknown when it could change the verdict. An expiration by
#   date deletes every log written after that date within a day: below any minimum. In a
#   versioned bucket expiration only adds a delete marker, so a noncurrent_version_expiration
#   without newer_noncurrent_versions must remove the previous versions, within max_days in all.
#   Object Lock default retention beyond max_days, or MFA delete (S3 Lifecycle does not run on
#   MFA delete-enabled buckets), keeps logs past the maximum.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/API/API_NoncurrentVersionExpiration.html
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-and-other-bucket-config.html
#   - ref: https://docs.aws.amazon.com/firehose/latest/dev/s3-prefixes.html
# custom:
#   id: RT-001
#   severity: high
#   remediation: |
#     Add a whole-bucket expiration within the bounds: aws_s3_bucket_lifecycle_configuration {
#     bucket = aws_s3_bucket.logs.id, rule { id = "expire-logs", status = "Enabled", filter {},
#     expiration { days = 400 } } } (or filter { prefix = "AWSLogs/" } for a trail bucket); on a
#     versioned bucket add noncurrent_version_expiration { noncurrent_days = 30 } to that rule.
# schemas:
#   - input: schema.posture
package sescheck.rules.retention.rt_001

import data.sescheck.lib.logging_path
import data.sescheck.lib.result
import data.sescheck.lib.retention

metadata := result.metadata(rego.metadata.chain())

min_days := retention.min_days

max_days := retention.max_days

checked contains result.target(bucket) if {
	some bucket in logging_path.members("s3_bucket")
}

# Buckets the rule cannot see: named but not in the input, or behind a link whose target is unknown.
unjudged := logging_path.unjudged("s3_bucket", {
	"storage": "bucket", "a_storage": "an S3 bucket", "settings": "its lifecycle rules", "verdict": "its expiration",
	"through_stream": "the bucket it delivers to",
})

checked contains result.target(entry.subject) if {
	some entry in unjudged
}

# Each bucket judged once (a complete rule: wasm does not memoize functions), keyed by its position
# among the members (a bucket as a key would be hashed whole at every lookup; an object, not an
# array, so a bucket without a verdict drops only its own entry and never shifts the others').
verdicts := {i: verdict(bucket) | some i, bucket in logging_path.members("s3_bucket")}

findings contains logging_path.member_finding(metadata, "s3_bucket", bucket, message) if {
	some i, bucket in logging_path.members("s3_bucket")
	judgement := verdicts[i]
	judgement.status == "fail"
	message := sprintf("bucket %s (%s) %s", [logging_path.label(bucket), logging_path.why("s3_bucket", bucket), judgement.detail])
}

findings contains result.unknown(metadata, bucket, message) if {
	some i, bucket in logging_path.members("s3_bucket")
	judgement := verdicts[i]
	judgement.status == "unknown"
	message := sprintf("cannot tell how long bucket %s (%s) keeps its logs: %s", [logging_path.label(bucket), logging_path.why("s3_bucket", bucket), judgement.detail])
}

findings contains result.unknown(metadata, entry.subject, entry.message) if {
	some entry in unjudged
}

# --- the bucket's verdict: fail if any problem fails, else unknown if any is unknown ---------------

verdict(bucket) := {"status": "unknown", "detail": sprintf("its lifecycle rules are unknown (%s)", [why])} if {
	why := logging_path.reason(bucket, ["lifecycle_rules"])
	why != null
} else := {"status": "fail", "detail": sprintf("has MFA delete enabled: S3 Lifecycle does not run on an MFA delete-enabled bucket, so its logs are never expired (maximum %d days)", [max_days])} if {
	object.get(bucket, "mfa_delete", null) == true
	max_days != null
} else := problems_verdict(problems(bucket))

# The problems passed in, worked out once: wasm does not memoize functions, and a branch per status
# calling problems(bucket) judged a passing bucket twice.
problems_verdict(found) := {"status": "fail", "detail": concat("; ", sort(details))} if {
	details := {problem.detail | some problem in found; problem.status == "fail"}
	count(details) > 0
} else := {"status": "unknown", "detail": concat("; ", sort(details))} if {
	details := {problem.detail | some problem in found; problem.status == "unknown"}
	count(details) > 0
} else := {"status": "pass", "detail": ""}

problems(bucket) := {maybe_problem(problem, pattern) |
	some pattern in writer_patterns(bucket)
	some problem in writer_problems(bucket, with_scopes(bucket, pattern))
} | bucket_problems(bucket)

# A writer that may write nothing into the bucket (an EventBridge rule whose event pattern is
# unknown sends to its stream) cannot fail it: what would fail is unknown.
maybe_problem(problem, pattern) := {"status": "unknown", "detail": concat("", [problem.detail, ", if it writes there at all: ", pattern.maybe])} if {
	problem.status == "fail"
	object.get(pattern, "maybe", null) != null
} else := problem

# A bucket in the path always has a writer; should none be known, no prefix can be trusted.
writer_patterns(bucket) := patterns if {
	patterns := logging_path.writers(bucket)
	count(patterns) > 0
} else := {logging_path.key_pattern("its logs", "", "any", "which writer puts logs there is not known")}

# The pattern with how each lifecycle rule meets its keys (scopes, by the rule's index), worked out
# once: wasm does not memoize functions, and each verdict below asked scope(rule, pattern) again.
with_scopes(bucket, pattern) := object.union(pattern, {"scopes": {index: scope(rule, pattern) | some index, rule in bucket.lifecycle_rules}})

bucket_problems(bucket) := mfa_problem(bucket) | lock_problem(bucket)

mfa_problem(bucket) := {{"status": "unknown", "detail": sprintf("whether MFA delete is enabled is unknown (%s); S3 Lifecycle does not run on an MFA delete-enabled bucket", [bucket.unknown.mfa_delete])}} if {
	object.get(bucket, "mfa_delete", null) == null
	bucket.unknown.mfa_delete
	max_days != null
} else := set()

lock_problem(bucket) := {{"status": "fail", "detail": sprintf("locks every new object version for %d days by default (Object Lock), more than the %d-day maximum: no lifecycle rule can delete a locked version earlier", [days, max_days])}} if {
	days := object.get(bucket, "object_lock_retention_days", null)
	is_number(days)
	retention.above_max(days)
} else := {{"status": "unknown", "detail": sprintf("its Object Lock default retention is unknown (%s)", [bucket.unknown.object_lock_retention_days])}} if {
	object.get(bucket, "object_lock_retention_days", null) == null
	bucket.unknown.object_lock_retention_days
	max_days != null
} else := set()

# --- one writer's logs -----------------------------------------------------------------------------

writer_problems(bucket, pattern) := {minimum_problem(bucket, pattern), maximum_problem(bucket, pattern, current), version_problem(bucket, pattern, current)} - {null} if {
	current := current_maximum(bucket, pattern)
}

# The shortest expiration of a rule that can match the logs decides the minimum; an expiration by date
# deletes every log written after that date within a day.
minimum_problem(bucket, pattern) := {"status": "fail", "detail": sprintf("expires %s after %d days (%s), fewer than the %d-day minimum", [pattern.writes, shortest, rules_text(bucket, pattern, shortest), min_days])} if {
	shortest := min(matching_days(bucket, pattern))
	retention.below_min(shortest)
} else := {"status": "fail", "detail": sprintf("expires %s on a date (%s): every log written after it is deleted within a day, and those written in the %d days before it are kept less than the %d-day minimum", [pattern.writes, concat(", ", sort(dated)), min_days, min_days])} if {
	min_days != null
	dated := {sprintf("lifecycle rule %s on %s", [rule_label(index, rule), rule.expiration_date]) |
		some index, rule in bucket.lifecycle_rules
		definite_date(rule)
		pattern.scopes[index].scope in {"all", "some"}
	}
	count(dated) > 0
} else := {"status": "unknown", "detail": concat("; ", sort(doubts))} if {
	doubts := {doubt_text(index, rule, pattern) |
		some index, rule in bucket.lifecycle_rules
		uncertain(index, rule, pattern)
		may_shorten(rule)
	}
	count(doubts) > 0
} else := null

# The logs no definite rule covers whole are kept forever; those it covers, for its days.
maximum_problem(bucket, pattern, current) := null if {
	max_days == null
} else := problem if {
	current.status != "pass"
	doubts := {doubt_text(index, rule, pattern) |
		some index, rule in bucket.lifecycle_rules
		uncertain(index, rule, pattern)
		may_bound(rule)
	}
	problem := overturned(current, doubts)
} else := null

overturned(_, doubts) := {"status": "unknown", "detail": concat("; ", sort(doubts))} if count(doubts) > 0

overturned(current, doubts) := current if count(doubts) == 0

current_maximum(bucket, pattern) := covered_maximum(bucket, pattern, covering_days(bucket, pattern))

# The covering days passed in, worked out once for the first two branches (wasm does not memoize functions).
covered_maximum(bucket, pattern, covering) := {"status": "fail", "detail": sprintf("keeps %s %d days (%s), more than the %d-day maximum", [pattern.writes, shortest, rules_text(bucket, pattern, shortest), max_days])} if {
	shortest := min(covering)
	retention.above_max(shortest)
} else := {"status": "pass", "detail": ""} if {
	count(covering) > 0
} else := {"status": "unknown", "detail": sprintf("an expiration by date bounds %s only until that date; whether that is within the %d-day maximum depends on today's date", [pattern.writes, max_days])} if {
	some index, rule in bucket.lifecycle_rules
	definite_date(rule)
	pattern.scopes[index].scope == "all"
} else := {"status": "fail", "detail": sprintf("has no enabled lifecycle rule that expires all of %s (keys %s): unbounded retention (maximum %d days)", [pattern.writes, key_text(pattern), max_days])} if {
	count(partial_rules(bucket, pattern)) == 0
} else := {"status": "fail", "detail": sprintf("expires only part of %s, after more than the %d-day maximum either way (%s); the rest is never expired", [pattern.writes, max_days, concat(", ", sort(partial_rules(bucket, pattern)))])} if {
	every index, rule in bucket.lifecycle_rules {
		partial_above_max(index, rule, pattern)
	}
} else := {"status": "unknown", "detail": sprintf("its rules expire only part of %s (%s); cannot tell whether every log object falls under one", [pattern.writes, concat(", ", sort(partial_rules(bucket, pattern)))])}

partial_above_max(index, rule, pattern) if not partial(index, rule, pattern)

partial_above_max(index, rule, pattern) if {
	partial(index, rule, pattern)
	retention.above_max(rule.expiration_days)
}

partial(index, rule, pattern) if {
	definite_days(rule)
	pattern.scopes[index].scope == "some"
}

partial_rules(bucket, pattern) := {sprintf("lifecycle rule %s: %s, %d days", [rule_label(index, rule), pattern.scopes[index].why, rule.expiration_days]) |
	some index, rule in bucket.lifecycle_rules
	partial(index, rule, pattern)
}

# In a versioned bucket, expiring an object only adds a delete marker: its data stays as a previous
# version until a noncurrent_version_expiration removes it. newer_noncurrent_versions keeps that many
# previous versions forever, and a log object expired once has only one.
version_problem(bucket, pattern, current) := null if {
	max_days == null
} else := null if {
	current.status != "pass"
} else := {"status": "unknown", "detail": sprintf("whether it is versioned is unknown (%s)", [why])} if {
	object.get(bucket, "versioning", null) == null
	why := logging_path.reason(bucket, ["versioning"])
	why != null
} else := null if {
	not object.get(bucket, "versioning", null) in {"Enabled", "Suspended"}
} else := {"status": "fail", "detail": sprintf("keeps previous versions of %s %d days after they expire (%s): %d days in all, more than the %d-day maximum", [
	pattern.writes,
	kept,
	concat(", ", sort({sprintf("lifecycle rule %s", [rule_label(index, rule)]) |
		some index, rule in bucket.lifecycle_rules
		noncurrent_expiring(index, rule, pattern)
		rule.noncurrent_expiration_days == kept
	})),
	min(covering_days(bucket, pattern)) + kept,
	max_days,
])} if {
	kept := min(noncurrent_days(bucket, pattern))
	retention.above_max(min(covering_days(bucket, pattern)) + kept)
} else := null if {
	count(noncurrent_days(bucket, pattern)) > 0
} else := {"status": "unknown", "detail": concat("; ", sort(doubts))} if {
	doubts := {sprintf("lifecycle rule %s might remove the previous versions of %s but its %s", [rule_label(index, rule), pattern.writes, noncurrent_doubt(index, rule, pattern)]) |
		some index, rule in bucket.lifecycle_rules
		rule.enabled != false
		noncurrent_doubt(index, rule, pattern)
	}
	count(doubts) > 0
} else := {"status": "fail", "detail": sprintf("is versioned (%s): expiration only adds a delete marker and keeps every previous version of %s, and no enabled rule covering them has a noncurrent_version_expiration without newer_noncurrent_versions%s", [bucket.versioning, pattern.writes, kept_versions_text(bucket, pattern)])}

noncurrent_expiring(index, rule, pattern) if {
	rule.enabled == true
	is_number(object.get(rule, "noncurrent_expiration_days", null))
	object.get(rule, "noncurrent_newer_versions", null) in {null, 0}
	pattern.scopes[index].scope == "all"
}

noncurrent_days(bucket, pattern) := {rule.noncurrent_expiration_days |
	some index, rule in bucket.lifecycle_rules
	noncurrent_expiring(index, rule, pattern)
}

noncurrent_doubt(index, rule, pattern) := sprintf("noncurrent_version_expiration days are unknown (%s)", [rule.unknown.noncurrent_expiration_days]) if {
	rule.unknown.noncurrent_expiration_days
} else := sprintf("newer_noncurrent_versions is unknown (%s)", [rule.unknown.noncurrent_newer_versions]) if {
	rule.unknown.noncurrent_newer_versions
} else := sprintf("status is unknown (%s)", [object.get(rule.unknown, "enabled", "not set")]) if {
	rule.enabled == null
	is_number(object.get(rule, "noncurrent_expiration_days", null))
} else := words if {
	is_number(object.get(rule, "noncurrent_expiration_days", null))
	found := pattern.scopes[index]
	found.scope in {"some", "doubt"}
	words := sprintf("filter %s", [found.why])
}

kept_versions_text(bucket, pattern) := concat("", [" (", concat(", ", sort(kept)), ")"]) if {
	kept := {sprintf("lifecycle rule %s keeps the %d newest previous versions of each object forever, and an expired log object has one", [rule_label(index, rule), rule.noncurrent_newer_versions]) |
		some index, rule in bucket.lifecycle_rules
		rule.enabled == true
		is_number(object.get(rule, "noncurrent_newer_versions", null))
		rule.noncurrent_newer_versions > 0
		pattern.scopes[index].scope == "all"
	}
	count(kept) > 0
} else := ""

# --- how a lifecycle rule meets a writer's keys ----------------------------------------------------

# all: the rule's filter matches every key the writer puts; some: part of them; none: no key; doubt: cannot tell.
scope(rule, pattern) := {"scope": "doubt", "why": sprintf("its filter is not evaluated (%s)", [why])} if {
	why := object.get(rule.unknown, "object_size_greater_than", object.get(rule.unknown, "object_size_less_than", null))
	why != null
} else := {"scope": "doubt", "why": sprintf("its prefix is unknown (%s)", [rule.unknown.prefix])} if {
	rule.unknown.prefix
} else := {"scope": "doubt", "why": "it expires only objects with given tags: the log writers tag none, but another process may tag them"} if {
	object.get(rule, "tag_filter", false) == true
} else := {"scope": "some", "why": sprintf("only objects of given sizes%s", [prefix_words(rule)])} if {
	sized(rule)
	prefix_scope(rule_prefix(rule), pattern).scope in {"all", "some"}
} else := prefix_scope(rule_prefix(rule), pattern)

# (else, not a second body: wasm evaluates every body of a function at each call)
rule_prefix(rule) := "" if rule.prefix == null

else := rule.prefix if rule.prefix != null

prefix_words(rule) := "" if rule_prefix(rule) == ""

prefix_words(rule) := sprintf(" under prefix \"%s\"", [rule.prefix]) if rule_prefix(rule) != ""

sized(rule) if object.get(rule, "object_size_greater_than", null) != null

else if object.get(rule, "object_size_less_than", null) != null

prefix_scope(prefix, pattern) := {"scope": "all", "why": "the whole bucket"} if {
	prefix == ""
} else := {"scope": "doubt", "why": sprintf("prefix \"%s\" meets them depending on where %s are written, which is unknown: %s", [prefix, pattern.writes, pattern.unknown])} if {
	pattern.unknown != null
} else := {"scope": "all", "why": sprintf("prefix \"%s\"", [prefix])} if {
	startswith(pattern.literal, prefix)
} else := {"scope": "none", "why": sprintf("prefix \"%s\"", [prefix])} if {
	not startswith(prefix, pattern.literal)
} else := follows(prefix, substring(prefix, count(pattern.literal), -1), pattern.rest)

# A prefix that goes past the fixed start of the keys: what it must match next.
follows(prefix, _, "any") := {"scope": "some", "why": sprintf("only objects under prefix \"%s\"", [prefix])}

follows(prefix, rest, "time") := {"scope": "some", "why": sprintf("only the hours under prefix \"%s\"", [prefix])} if {
	regex.match(`^([0-9]{0,4}|[0-9]{4}/([0-9]{0,2}|[0-9]{2}/([0-9]{0,2}|[0-9]{2}/([0-9]{0,2}|[0-9]{2}/.*))))$`, rest)
}

follows(prefix, rest, "time") := {"scope": "none", "why": sprintf("prefix \"%s\"", [prefix])} if {
	not regex.match(`^([0-9]{0,4}|[0-9]{4}/([0-9]{0,2}|[0-9]{2}/([0-9]{0,2}|[0-9]{2}/([0-9]{0,2}|[0-9]{2}/.*))))$`, rest)
}

follows(prefix, rest, "account") := {"scope": "doubt", "why": sprintf("prefix \"%s\" names an account, and the account the logs are written for is not in the input", [prefix])} if {
	regex.match(`^([0-9]{0,12}|[0-9]{12}/.*)$`, rest)
}

follows(prefix, rest, "account") := {"scope": "none", "why": sprintf("prefix \"%s\"", [prefix])} if {
	not regex.match(`^([0-9]{0,12}|[0-9]{12}/.*)$`, rest)
}

key_text(pattern) := "where they are written is unknown" if pattern.unknown != null

key_text(pattern) := sprintf("under \"%s\"", [pattern.literal]) if {
	pattern.unknown == null
	pattern.literal != ""
}

key_text(pattern) := "under the UTC time prefix yyyy/MM/dd/HH/" if {
	pattern.unknown == null
	pattern.literal == ""
	pattern.rest == "time"
}

key_text(pattern) := "anywhere in the bucket" if {
	pattern.unknown == null
	pattern.literal == ""
	pattern.rest != "time"
}

# --- what a rule does ------------------------------------------------------------------------------

definite_days(rule) if {
	rule.enabled == true
	is_number(rule.expiration_days)
}

definite_date(rule) if {
	rule.enabled == true
	is_string(object.get(rule, "expiration_date", null))
}

# The days of enabled rules that can match the logs, and of those that match them all.
matching_days(bucket, pattern) := {rule.expiration_days |
	some index, rule in bucket.lifecycle_rules
	definite_days(rule)
	pattern.scopes[index].scope in {"all", "some"}
}

covering_days(bucket, pattern) := {rule.expiration_days |
	some index, rule in bucket.lifecycle_rules
	definite_days(rule)
	pattern.scopes[index].scope == "all"
}

rules_text(bucket, pattern, days) := concat(", ", sort({sprintf("lifecycle rule %s", [rule_label(index, rule)]) |
	some index, rule in bucket.lifecycle_rules
	definite_days(rule)
	rule.expiration_days == days
	pattern.scopes[index].scope in {"all", "some"}
}))

# A rule that might expire the logs, but whose status, days, or reach cannot be told.
uncertain(index, rule, pattern) if {
	rule.enabled != false
	may_expire(rule)
	found := pattern.scopes[index]
	found.scope != "none"
	not settled(rule, found)
}

settled(rule, found) if {
	found.scope in {"all", "some"}
	rule.enabled == true
	not rule.unknown.expiration_days
	not rule.unknown.expiration_date
}

# (else, not a body per case: wasm evaluates every body of a function at each call)
may_expire(rule) if is_number(rule.expiration_days)

else if rule.unknown.expiration_days

else if is_string(object.get(rule, "expiration_date", null))

else if rule.unknown.expiration_date

# Could it expire the logs below the minimum, or bound them within the maximum?
may_shorten(rule) if not is_number(rule.expiration_days)

may_shorten(rule) if retention.below_min(rule.expiration_days)

may_bound(rule) if not is_number(rule.expiration_days)

may_bound(rule) if {
	is_number(rule.expiration_days)
	not retention.above_max(rule.expiration_days)
}

doubt_text(index, rule, pattern) := sprintf("lifecycle rule %s might expire %s (%s) but its %s", [rule_label(index, rule), pattern.writes, expiry_words(rule), concat(" and ", doubts)]) if {
	doubts := [words |
		some field in ["enabled", "scope", "expiration_days", "expiration_date"]
		words := field_doubt(index, rule, pattern, field)
	]
}

expiry_words(rule) := sprintf("after %d days", [rule.expiration_days]) if is_number(rule.expiration_days)

expiry_words(rule) := sprintf("on %s", [rule.expiration_date]) if is_string(object.get(rule, "expiration_date", null))

expiry_words(rule) := "after an unknown number of days" if {
	not is_number(rule.expiration_days)
	not is_string(object.get(rule, "expiration_date", null))
}

field_doubt(_, rule, _, "enabled") := sprintf("status is unknown (%s)", [object.get(rule.unknown, "enabled", "not set")]) if rule.enabled == null

field_doubt(index, _, pattern, "scope") := sprintf("reach cannot be told: %s", [found.why]) if {
	found := pattern.scopes[index]
	found.scope == "doubt"
}

field_doubt(_, rule, _, "expiration_days") := sprintf("expiration days are unknown (%s)", [rule.unknown.expiration_days]) if rule.unknown.expiration_days

field_doubt(_, rule, _, "expiration_date") := sprintf("expiration date is unknown (%s)", [rule.unknown.expiration_date]) if rule.unknown.expiration_date

rule_label(_, rule) := sprintf("\"%s\"", [rule.id]) if is_string(rule.id)

rule_label(index, rule) := sprintf("#%d", [index + 1]) if not is_string(rule.id)
