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
# schemas:
#   - input: schema.posture
package sescheck.rules.cloudtrail.ct_002

import data.sescheck.lib.cloudtrail
import data.sescheck.lib.result

metadata := result.metadata(rego.metadata.chain())

checked contains result.target(place.subject) if {
	some place in cloudtrail.places
	count(cloudtrail.required_resource_types) > 0
}

# One finding per place (its fix may touch several selectors), so each finding has a stable
# identity in baselines and SARIF fingerprints: failing types first, then the undecided ones.
findings contains result.fail(metadata, place.subject, concat("; ", array.concat(
	[failing_message(place, type, verdicts[type]) | some type in sort(failing)],
	[unknown_message(place, type, verdicts[type]) | some type in sort(undecided)],
))) if {
	some place in cloudtrail.places
	verdicts := type_verdicts(place)
	failing := {type | some type, verdict in verdicts; verdict.status == "fail"}
	count(failing) > 0
	undecided := {type | some type, verdict in verdicts; verdict.status == "unknown"}
}

findings contains result.unknown(metadata, place.subject, concat("; ", [unknown_message(place, type, verdicts[type]) |
	some type in sort(undecided)
])) if {
	some place in cloudtrail.places
	verdicts := type_verdicts(place)
	not any_fails(verdicts)
	undecided := {type | some type, verdict in verdicts; verdict.status == "unknown"}
	count(undecided) > 0
}

type_verdicts(place) := {type: cloudtrail.data_verdict(place, type) | some type in cloudtrail.required_resource_types}

any_fails(verdicts) if {
	some verdict in verdicts
	verdict.status == "fail"
}

failing_message(place, type, verdict) := sprintf("SES sends in %s are not recorded as %s data events: %s", [
	cloudtrail.place_label(place),
	type,
	reasons_text(verdict.reasons),
])

unknown_message(place, type, verdict) := sprintf("cannot tell whether SES sends in %s are recorded as %s data events: %s", [
	cloudtrail.place_label(place),
	type,
	concat(" | ", verdict.reasons),
])

reasons_text(reasons) := concat(" | ", reasons) if count(reasons) > 0

reasons_text(reasons) := "no trail or event data store of this account is in the input" if count(reasons) == 0
