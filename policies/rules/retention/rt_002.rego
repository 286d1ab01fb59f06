# METADATA
# title: Log groups keep their events within the retention bounds
# description: |
#   Every CloudWatch log group in the logging path (receiving CloudTrail logs, WorkMail audit
#   logs, or the error logs of a Firehose stream carrying SES events or WorkMail audit logs)
#   needs retention_in_days between retention.min_days and retention.max_days (defaults 35 and
#   540). A log group without retention (0 or absent) never expires its events and fails while
#   max_days is set. Log groups have no prefixes, versions or locks: retention_in_days is all.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention
#   - ref: https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html
# custom:
#   id: RT-002
#   severity: high
#   remediation: |
#     Set a retention within the bounds on the log group: aws_cloudwatch_log_group {
#     name = "...", retention_in_days = 400 } (CloudWatch accepts 60, 90, 120, 150, 180, 365,
#     400 days within the default bounds).
# schemas:
#   - input: schema.posture
package sescheck.rules.retention.rt_002

import data.sescheck.lib.logging_path
import data.sescheck.lib.result
import data.sescheck.lib.retention

metadata := result.metadata(rego.metadata.chain())

checked contains result.target(log_group) if {
	some log_group in logging_path.members("log_group")
}

# Log groups the rule cannot see: named but not in the input, or behind a link whose target is unknown.
unjudged := logging_path.unjudged("log_group", {
	"storage": "log group", "a_storage": "a log group", "settings": "its retention", "verdict": "its retention",
	"through_stream": "the error log group it delivers to",
})

checked contains result.target(entry.subject) if {
	some entry in unjudged
}

findings contains logging_path.member_finding(metadata, "log_group", log_group, message) if {
	some log_group in logging_path.members("log_group")
	not retention_unknown(log_group)
	detail := retention_problem(retention_days(log_group))
	message := sprintf("log group %s (%s) %s", [logging_path.label(log_group), logging_path.why("log_group", log_group), detail])
}

findings contains result.unknown(metadata, log_group, message) if {
	some log_group in logging_path.members("log_group")
	reason := retention_unknown(log_group)
	message := sprintf("retention of log group %s (%s) is unknown: %s", [logging_path.label(log_group), logging_path.why("log_group", log_group), reason])
}

findings contains result.unknown(metadata, entry.subject, entry.message) if {
	some entry in unjudged
}

retention_unknown(log_group) := reason if {
	log_group.retention_in_days == null
	reason := logging_path.reason(log_group, ["retention_in_days"])
	reason != null
}

# 0 and absent both mean the events never expire.
# (else, not a second body: wasm evaluates every body of a function at each call)
retention_days(log_group) := null if log_group.retention_in_days in {null, 0}

else := log_group.retention_in_days

retention_problem(null) := sprintf("never expires its events (no retention_in_days): unbounded retention (maximum %d days)", [retention.max_days]) if {
	retention.max_days != null
}

retention_problem(days) := retention.bound_problem(days) if days != null
