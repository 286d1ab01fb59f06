# METADATA
# title: SES configuration-set and template sends are recorded as CloudTrail data events
# description: |
#   Besides the email identity, a send names its configuration set and, when templated, its
#   template: CloudTrail records those as data events of AWS::SES::ConfigurationSet and
#   AWS::SES::Template only when an advanced event selector selects these resource types.
#   The types required are the settings' cloudtrail.required_resource_types; selectors are
#   judged as in CT-001.
# related_resources:
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/logging-using-cloudtrail.html
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html
# custom:
#   id: CT-002
#   severity: medium
#   remediation: |
#     Add an advanced event selector per resource type, for example field_selector
#     { field = "eventCategory", equals = ["Data"] } and field_selector { field =
#     "resources.type", equals = ["AWS::SES::ConfigurationSet"] } (likewise AWS::SES::Template),
#     with no condition that leaves sends out.
package sescheck.rules.cloudtrail.ct_002

import data.sescheck.lib.cloudtrail
import data.sescheck.lib.result

metadata := result.metadata(rego.metadata.chain())

checked contains result.target(place.subject) if {
	some place in cloudtrail.places
	count(cloudtrail.required_resource_types) > 0
}

findings contains result.fail(metadata, place.subject, message) if {
	some place in cloudtrail.places
	some type in cloudtrail.required_resource_types
	verdict := cloudtrail.data_verdict(place, type)
	verdict.status == "fail"
	message := sprintf("SES sends in %s are not recorded as %s data events: %s", [
		cloudtrail.place_label(place),
		type,
		reasons_text(verdict.reasons),
	])
}

findings contains result.unknown(metadata, place.subject, message) if {
	some place in cloudtrail.places
	some type in cloudtrail.required_resource_types
	verdict := cloudtrail.data_verdict(place, type)
	verdict.status == "unknown"
	message := sprintf("cannot tell whether SES sends in %s are recorded as %s data events: %s", [
		cloudtrail.place_label(place),
		type,
		concat(" | ", verdict.reasons),
	])
}

reasons_text(reasons) := concat(" | ", reasons) if count(reasons) > 0

reasons_text(reasons) := "no trail or event data store of this account is in the input" if count(reasons) == 0
