# METADATA
# title: SES management events are recorded in every region in scope
# description: |
#   Creating or deleting identities, configuration sets and receipt rules are SES
#   management events (readOnly false). Every region in scope needs a trail or event data
#   store covering it that records them: one without event selectors (CloudTrail's default),
#   basic selectors that include management events (All or WriteOnly, ses.amazonaws.com not
#   excluded), or an advanced selector on eventCategory Management that keeps write events.
#   A trail whose advanced selectors have no Management selector records none.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/logging-using-cloudtrail.html
# custom:
#   id: CT-003
#   severity: high
#   remediation: |
#     Give a multi-region trail an advanced event selector with field_selector { field =
#     "eventCategory", equals = ["Management"] } and no readOnly condition (or readOnly
#     equals ["false"]); with basic selectors, use read_write_type All or WriteOnly and
#     include_management_events = true.
# schemas:
#   - input: schema.posture
package sescheck.rules.cloudtrail.ct_003

import data.sescheck.lib.cloudtrail
import data.sescheck.lib.result

metadata := result.metadata(rego.metadata.chain())

checked contains result.target(place.subject) if {
	some place in cloudtrail.places
}

findings contains result.from_verdict(metadata, place.subject, verdict, {
	"fail": sprintf("SES management events in %s are not recorded: %s", [cloudtrail.place_label(place), reasons]),
	"unknown": sprintf("cannot tell whether SES management events in %s are recorded: %s", [cloudtrail.place_label(place), reasons]),
}) if {
	some place in cloudtrail.places
	verdict := cloudtrail.management_verdict(place)
	reasons := concat(" | ", verdict.reasons)
}
