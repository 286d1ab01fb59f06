# METADATA
# title: Trails that record SES activity validate their log files
# description: |
#   Log file integrity validation lets an auditor prove that the trail's log files were not
#   changed or deleted after CloudTrail delivered them. Applies to the trails counted for
#   CT-001 or CT-003; event data stores have no log files and are not judged.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
# custom:
#   id: CT-006
#   severity: medium
#   remediation: Set enable_log_file_validation = true on the aws_cloudtrail resource.
# schemas:
#   - input: schema.posture
package sescheck.rules.cloudtrail.ct_006

import data.sescheck.lib.cloudtrail
import data.sescheck.lib.result

metadata := result.metadata(rego.metadata.chain())

trails contains trail if {
	some trail in cloudtrail.counted_trails
	trail.kind == "trail"
}

checked contains result.target(trail) if {
	some trail in trails
}

findings contains result.from_verdict(metadata, trail, verdict, {
	"fail": sprintf("%s records SES activity without log file validation", [cloudtrail.trail_label(trail)]),
	"unknown": sprintf("whether %s validates its log files is unknown: %s", [cloudtrail.trail_label(trail), verdict.reason]),
}) if {
	some trail in trails
	verdict := result.field_verdict(trail, "log_file_validation", trail.log_file_validation != true)
}
