# METADATA
# title: CloudTrail Lake event data stores keep SES events within the retention bounds
# description: |
#   An event data store that records SES activity (counted for CT-001 or CT-003) keeps its events
#   for its retention period: between retention.min_days and retention.max_days (defaults 35 and
#   540). The AWS provider sets retention_period to 2555 days (seven years) when it is not given,
#   so a store that leaves it out keeps SES events past the default maximum.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_CreateEventDataStore.html
#   - ref: https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudtrail_event_data_store
# custom:
#   id: RT-003
#   severity: medium
#   remediation: |
#     Set a retention period within the bounds: aws_cloudtrail_event_data_store { name = "...",
#     retention_period = 400 } (aws cloudtrail update-event-data-store --retention-period 400).
# schemas:
#   - input: schema.posture
package sescheck.rules.retention.rt_003

import data.sescheck.lib.cloudtrail
import data.sescheck.lib.result
import data.sescheck.lib.retention

metadata := result.metadata(rego.metadata.chain())

stores contains store if {
	some store in cloudtrail.counted_trails
	store.kind == "event_data_store"
}

checked contains result.target(store) if {
	some store in stores
}

findings contains result.fail(metadata, store, message) if {
	some store in stores
	days := object.get(store, "retention_days", null)
	is_number(days)
	detail := retention.bound_problem(days)
	message := sprintf("%s records SES activity and %s", [cloudtrail.trail_label(store), detail])
}

findings contains result.unknown(metadata, store, message) if {
	some store in stores
	object.get(store, "retention_days", null) == null
	reason := object.get(store.unknown, "retention_days", "the input does not give it")
	message := sprintf("the retention period of %s, which records SES activity, is unknown: %s", [cloudtrail.trail_label(store), reason])
}
