# METADATA
# title: SES sending is recorded as CloudTrail data events
# description: |
#   CloudTrail records SES sends (SendEmail, SendRawEmail, SendTemplatedEmail,
#   SendBulkTemplatedEmail, SendBulkEmail) only as data events, which a trail or event data
#   store must select with advanced event selectors (eventCategory Data, resources.type
#   AWS::SES::EmailIdentity). Basic event selectors cannot select them, and a condition such
#   as readOnly Equals [false] drops every send, since sends are recorded with readOnly true.
#   Checked for every account and region in scope; region coverage is CT-004.
# related_resources:
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/logging-using-cloudtrail.html
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html
# custom:
#   id: CT-001
#   severity: high
#   remediation: |
#     Add an advanced event selector to a trail (aws_cloudtrail advanced_event_selector) or
#     event data store: field_selector { field = "eventCategory", equals = ["Data"] } and
#     field_selector { field = "resources.type", equals = ["AWS::SES::EmailIdentity"] }, with no
#     readOnly, eventName, eventSource or resources.ARN condition that leaves sends out.
# schemas:
#   - input: schema.posture
package sescheck.rules.cloudtrail.ct_001

import data.sescheck.lib.cloudtrail
import data.sescheck.lib.result

metadata := result.metadata(rego.metadata.chain())

checked contains result.target(place.subject) if {
	some place in cloudtrail.places
}

findings contains result.from_verdict(metadata, place.subject, verdict, {
	"fail": sprintf("SES sends in %s are not recorded as data events (%s): %s", [
		cloudtrail.place_label(place),
		cloudtrail.email_identity_type,
		reasons_text(verdict.reasons),
	]),
	"unknown": sprintf("cannot tell whether SES sends in %s are recorded as data events: %s", [
		cloudtrail.place_label(place),
		concat(" | ", verdict.reasons),
	]),
}) if {
	some place in cloudtrail.places
	verdict := cloudtrail.data_verdict(place, cloudtrail.email_identity_type)
}

reasons_text(reasons) := concat(" | ", reasons) if count(reasons) > 0

reasons_text(reasons) := concat("", [
	"no trail or event data store of this account is in the input",
	" (a trail managed elsewhere can be declared in the settings' cloudtrail.external_trails)",
]) if {
	count(reasons) == 0
}
