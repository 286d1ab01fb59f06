# METADATA
# title: Log buckets expire their objects within the retention bounds
# description: |
#   Every S3 bucket in the logging path (receiving CloudTrail logs, SES events through
#   Firehose, or WorkMail audit logs) needs an enabled lifecycle rule that expires its objects
#   after between retention.min_days and retention.max_days days (defaults 35 and 540). When
#   several rules apply S3 uses the earliest expiration. No expiration is unbounded retention
#   and fails while max_days is set. In a versioned bucket expiration only adds a delete
#   marker, so a noncurrent_version_expiration must also remove the previous versions, within
#   max_days in all.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-configuration-examples.html
# custom:
#   id: RT-001
#   severity: high
#   remediation: |
#     Add a whole-bucket expiration within the bounds: aws_s3_bucket_lifecycle_configuration {
#     bucket = aws_s3_bucket.logs.id, rule { id = "expire-logs", status = "Enabled", filter {},
#     expiration { days = 400 } } }; on a versioned bucket add noncurrent_version_expiration {
#     noncurrent_days = 30 } to that rule.
package sescheck.rules.retention.rt_001

import data.sescheck.lib.logging_path
import data.sescheck.lib.result

metadata := result.metadata(rego.metadata.chain())

min_days := object.get(data.settings.retention, "min_days", null)

max_days := object.get(data.settings.retention, "max_days", null)

checked contains result.target(bucket) if {
	some bucket in logging_path.members("s3_bucket")
}

checked contains result.target(entry.subject) if {
	some kind in {"s3_bucket", "firehose_stream", "unknown"}
	some entry in logging_path.absent(kind)
}

checked contains result.target(entry.subject) if {
	some kind in {"s3_bucket", "firehose_stream", "unknown"}
	some entry in logging_path.unresolved(kind)
}

findings contains result.fail(metadata, bucket, message) if {
	some bucket in logging_path.members("s3_bucket")
	judgement := verdict(bucket)
	judgement.status == "fail"
	message := sprintf("bucket %s (%s) %s", [logging_path.label(bucket), logging_path.why("s3_bucket", bucket), judgement.detail])
}

findings contains result.unknown(metadata, bucket, message) if {
	some bucket in logging_path.members("s3_bucket")
	judgement := verdict(bucket)
	judgement.status == "unknown"
	message := sprintf("cannot tell when bucket %s (%s) expires its objects: %s", [logging_path.label(bucket), logging_path.why("s3_bucket", bucket), judgement.detail])
}

findings contains result.unknown(metadata, entry.subject, message) if {
	some name, entry in logging_path.absent("s3_bucket")
	message := sprintf("bucket %s %s but is not in the input; its lifecycle rules cannot be judged", [name, entry.why])
}

findings contains result.unknown(metadata, entry.subject, message) if {
	some name, entry in logging_path.absent("firehose_stream")
	message := sprintf("Firehose stream %s %s but is not in the input; the bucket it delivers to cannot be judged", [name, entry.why])
}

findings contains result.unknown(metadata, entry.subject, message) if {
	some name, entry in logging_path.absent("unknown")
	message := sprintf("log destination %s %s but is not in the input; cannot tell whether it is an S3 bucket, nor judge its expiration", [name, entry.why])
}

findings contains result.unknown(metadata, entry.subject, message) if {
	some kind in {"s3_bucket", "firehose_stream", "unknown"}
	some entry in logging_path.unresolved(kind)
	message := sprintf("the log destination that receives %s is unknown (%s); its expiration cannot be judged", [entry.receives, entry.unknown])
}

# The bucket's verdict: the current versions' (below), then, for a versioned bucket, the previous versions'.
verdict(bucket) := versions_verdict(bucket) if {
	current_verdict(bucket).status == "pass"
	count(whole_bucket_expirations(bucket)) > 0
} else := current_verdict(bucket)

# In a versioned bucket, expiring an object only adds a delete marker: its data stays as a
# previous version until a noncurrent_version_expiration removes it.
versions_verdict(bucket) := {"status": "unknown", "detail": sprintf("whether it is versioned is unknown (%s)", [reason])} if {
	object.get(bucket, "versioning", null) == null
	reason := logging_path.reason(bucket, ["versioning"])
	reason != null
} else := {"status": "pass", "detail": ""} if {
	not object.get(bucket, "versioning", null) in {"Enabled", "Suspended"}
} else := {"status": "unknown", "detail": sprintf("it is versioned (%s) and the noncurrent_version_expiration days of %s are unknown", [
	bucket.versioning,
	concat(", ", sort([sprintf("lifecycle rule %s", [rule_label(index, rule)]) | some index, rule in bucket.lifecycle_rules; rule.unknown.noncurrent_expiration_days])),
])} if {
	count(noncurrent_expirations(bucket)) == 0
	some rule in bucket.lifecycle_rules
	rule.unknown.noncurrent_expiration_days
} else := {"status": "fail", "detail": sprintf("is versioned (%s): expiration only adds a delete marker and keeps every previous version of the logs, and no enabled whole-bucket rule has noncurrent_version_expiration", [bucket.versioning])} if {
	count(noncurrent_expirations(bucket)) == 0
} else := {"status": "fail", "detail": sprintf("keeps previous versions %d days after they expire (%s): %d days in all, more than the %d-day maximum", [
	kept,
	concat(", ", sort([sprintf("lifecycle rule %s", [rule_label(index, rule)]) |
		some index, rule in bucket.lifecycle_rules
		noncurrent_expiring(rule)
		rule.noncurrent_expiration_days == kept
	])),
	min(whole_bucket_expirations(bucket)) + kept,
	max_days,
])} if {
	kept := min(noncurrent_expirations(bucket))
	above_max(min(whole_bucket_expirations(bucket)) + kept)
} else := {"status": "pass", "detail": ""}

noncurrent_expiring(rule) if {
	whole_bucket(rule)
	rule.enabled == true
	is_number(object.get(rule, "noncurrent_expiration_days", null))
}

noncurrent_expirations(bucket) := {rule.noncurrent_expiration_days |
	some rule in bucket.lifecycle_rules
	noncurrent_expiring(rule)
}

# The current versions' verdict: status fail, unknown or pass, and what the message says.
current_verdict(bucket) := {"status": "unknown", "detail": sprintf("its lifecycle rules are unknown (%s)", [reason])} if {
	reason := logging_path.reason(bucket, ["lifecycle_rules"])
	reason != null
} else := {"status": "fail", "detail": sprintf("expires its objects after %d days (%s), fewer than the %d-day minimum", [shortest, rules_expiring_after(bucket, shortest), min_days])} if {
	shortest := min(whole_bucket_expirations(bucket))
	below_min(shortest)
} else := {"status": "unknown", "detail": concat("; ", sort(doubts))} if {
	doubts := uncertain_rules(bucket, min(whole_bucket_expirations(bucket)))
	count(doubts) > 0
} else := {"status": "fail", "detail": sprintf("expires its objects after %d days (%s), more than the %d-day maximum", [shortest, rules_expiring_after(bucket, shortest), max_days])} if {
	shortest := min(whole_bucket_expirations(bucket))
	above_max(shortest)
} else := {"status": "pass", "detail": ""} if {
	count(whole_bucket_expirations(bucket)) > 0
} else := {"status": "unknown", "detail": concat("; ", sort(doubts))} if {
	doubts := uncertain_rules(bucket, null)
	count(doubts) > 0
} else := {"status": "fail", "detail": sprintf("has no enabled lifecycle rule expiring all its objects, and its prefixed rules expire outside %d..%d days either way (%s)", [min_days, max_days, prefixed_summary(bucket)])} if {
	count(prefixed_rules(bucket)) > 0
	max_days != null
	every index, rule in prefixed_rules(bucket) {
		rule_out_of_bounds(index, rule)
	}
} else := {"status": "unknown", "detail": concat("; ", sort({sprintf("rule %s expires only objects under prefix \"%s\" (%s); cannot tell whether the logs are under it", [rule_label(index, rule), rule.prefix, prefixed_terms(rule)]) |
	some index, rule in prefixed_rules(bucket)
}))} if {
	count(prefixed_rules(bucket)) > 0
} else := {"status": "fail", "detail": sprintf("has no enabled lifecycle rule that expires its objects: unbounded retention (maximum %d days)", [max_days])} if {
	max_days != null
} else := {"status": "pass", "detail": ""}

below_min(days) if {
	min_days != null
	days < min_days
}

above_max(days) if {
	max_days != null
	days > max_days
}

rule_out_of_bounds(_, rule) if {
	is_number(rule.expiration_days)
	below_min(rule.expiration_days)
}

rule_out_of_bounds(_, rule) if {
	is_number(rule.expiration_days)
	above_max(rule.expiration_days)
}

prefixed_terms(rule) := concat(", ", [term |
	some term in [days_term(rule), enabled_term(rule)]
	term != ""
])

days_term(rule) := sprintf("after %d days", [rule.expiration_days]) if is_number(rule.expiration_days)

days_term(rule) := sprintf("after a number of days that is unknown: %s", [rule.unknown.expiration_days]) if not is_number(rule.expiration_days)

enabled_term(rule) := "" if rule.enabled == true

enabled_term(rule) := sprintf("if enabled; its status is unknown: %s", [object.get(rule.unknown, "enabled", "not set")]) if rule.enabled != true

rule_label(_, rule) := sprintf("\"%s\"", [rule.id]) if is_string(rule.id)

rule_label(index, rule) := sprintf("#%d", [index + 1]) if not is_string(rule.id)

# A rule with an empty or absent prefix, and no tag or size filter, applies to every object.
whole_bucket(rule) if {
	rule.prefix in {null, ""}
	not rule.unknown.prefix
	not rule.unknown.filter
}

expires(rule) if {
	rule.enabled == true
	is_number(rule.expiration_days)
}

whole_bucket_expirations(bucket) := {rule.expiration_days |
	some rule in bucket.lifecycle_rules
	whole_bucket(rule)
	expires(rule)
}

rules_expiring_after(bucket, days) := concat(", ", sort([sprintf("lifecycle rule %s", [rule_label(index, rule)]) |
	some index, rule in bucket.lifecycle_rules
	whole_bucket(rule)
	expires(rule)
	rule.expiration_days == days
]))

# Rules that expire (or may expire) only the objects under a known prefix.
prefixed_rules(bucket) := {index: rule |
	some index, rule in bucket.lifecycle_rules
	rule.enabled != false
	may_expire(rule)
	is_string(rule.prefix)
	rule.prefix != ""
}

prefixed_summary(bucket) := concat(", ", sort([sprintf("rule %s: prefix \"%s\", %d days", [rule_label(index, rule), rule.prefix, rule.expiration_days]) |
	some index, rule in prefixed_rules(bucket)
]))

# Rules that might expire every object but whose status, prefix or days are unknown, and
# that could change the verdict given the shortest known whole-bucket expiration (or null).
uncertain_rules(bucket, shortest) := {sprintf("lifecycle rule %s might expire all objects but its %s", [rule_label(index, rule), doubt]) |
	some index, rule in bucket.lifecycle_rules
	not definite(rule)
	may_apply(rule)
	could_change(rule, shortest)
	doubt := doubt_words(rule)
}

definite(rule) if {
	whole_bucket(rule)
	expires(rule)
}

may_apply(rule) if {
	rule.enabled != false
	may_expire(rule)
	may_be_whole_bucket(rule)
}

may_expire(rule) if is_number(rule.expiration_days)

may_expire(rule) if rule.unknown.expiration_days

may_be_whole_bucket(rule) if whole_bucket(rule)

may_be_whole_bucket(rule) if rule.unknown.prefix

may_be_whole_bucket(rule) if {
	rule.prefix in {null, ""}
	rule.unknown.filter
}

could_change(rule, _) if not is_number(rule.expiration_days)

could_change(_, null)

could_change(rule, shortest) if {
	is_number(rule.expiration_days)
	is_number(shortest)
	above_max(shortest)
	within_bounds(rule.expiration_days)
}

could_change(rule, shortest) if {
	is_number(rule.expiration_days)
	is_number(shortest)
	within_bounds(shortest)
	below_min(rule.expiration_days)
}

within_bounds(days) if {
	not below_min(days)
	not above_max(days)
}

doubt_words(rule) := concat(" and ", [words |
	some field in ["enabled", "prefix", "filter", "expiration_days"]
	words := field_doubt(rule, field)
])

field_doubt(rule, "enabled") := sprintf("status is unknown (%s)", [object.get(rule.unknown, "enabled", "not set")]) if rule.enabled == null

field_doubt(rule, "prefix") := sprintf("prefix is unknown (%s)", [rule.unknown.prefix]) if rule.unknown.prefix

field_doubt(rule, "filter") := sprintf("filter is not evaluated (%s)", [rule.unknown.filter]) if rule.unknown.filter

field_doubt(rule, "expiration_days") := sprintf("expiration days are unknown (%s)", [rule.unknown.expiration_days]) if rule.unknown.expiration_days
