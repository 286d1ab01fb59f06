# METADATA
# title: Trails that record SES activity are logging
# description: |
#   A trail or event data store counted for CT-001 (its selectors record SES sends) or CT-003
#   (it records SES management events in a region in scope) records nothing while logging is
#   stopped (enable_logging = false; live, IsLogging false; a stopped event data store), or
#   while the S3 bucket it delivers to does not exist (live, NoSuchBucket).
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_StartLogging.html
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
# custom:
#   id: CT-005
#   severity: high
#   remediation: |
#     Set enable_logging = true on the aws_cloudtrail resource (or remove the argument; it
#     defaults to true), or start logging with aws cloudtrail start-logging --name TRAIL.
# schemas:
#   - input: schema.posture
package sescheck.rules.cloudtrail.ct_005

import data.sescheck.lib.cloudtrail
import data.sescheck.lib.logging_path
import data.sescheck.lib.result

metadata := result.metadata(rego.metadata.chain())

checked contains result.target(trail) if {
	some trail in cloudtrail.counted_trails
}

findings contains result.from_verdict(metadata, trail, verdict, {
	"fail": sprintf("%s records SES activity but is not logging", [cloudtrail.trail_label(trail)]),
	"unknown": sprintf("whether %s is logging is unknown: %s", [cloudtrail.trail_label(trail), verdict.reason]),
}) if {
	some trail in cloudtrail.counted_trails
	verdict := result.field_verdict(trail, "logging", trail.logging == false)
}

findings contains result.fail(metadata, trail, message) if {
	some trail in cloudtrail.counted_trails
	some bucket in logging_path.with_id("s3_bucket", trail.s3_bucket)
	object.get(bucket, "exists", true) == false
	message := sprintf("%s records SES activity but its S3 bucket %s does not exist; CloudTrail cannot deliver its logs", [cloudtrail.trail_label(trail), logging_path.label(bucket)])
}
