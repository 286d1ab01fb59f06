# METADATA
# title: A trail that records SES sends covers every region in scope
# description: |
#   CloudTrail delivers an SES event in the region that handled the request (with the SES
#   global endpoint, either region of the pair). A multi-region trail or event data store
#   covers every region; a single-region one only its home region. Every region in scope
#   needs a covering trail whose selectors record SES sends (CT-001). Judged where at least
#   one trail records them; CT-001 reports the places where none does.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html
#   - ref: https://docs.aws.amazon.com/ses/latest/dg/logging-using-cloudtrail.html
# custom:
#   id: CT-004
#   severity: high
#   remediation: |
#     Make the trail that records SES data events multi-region (is_multi_region_trail = true;
#     event data stores: multi_region_enabled = true), or add a trail with the same advanced
#     event selectors in each region in scope.
# schemas:
#   - input: schema.posture
package sescheck.rules.cloudtrail.ct_004

import data.sescheck.lib.cloudtrail
import data.sescheck.lib.result

metadata := result.metadata(rego.metadata.chain())

checked contains result.target(place.subject) if {
	some place in cloudtrail.places
	cloudtrail.coverage_verdict(place)
}

findings contains result.from_verdict(metadata, place.subject, verdict, {
	"fail": sprintf("no trail that records SES sends covers %s: %s", [cloudtrail.place_label(place), reasons]),
	"unknown": sprintf("cannot tell whether a trail that records SES sends covers %s: %s", [cloudtrail.place_label(place), reasons]),
}) if {
	some place in cloudtrail.places
	verdict := cloudtrail.coverage_verdict(place)
	reasons := concat(" | ", verdict.reasons)
}
