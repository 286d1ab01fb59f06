# METADATA
# title: Trails that record SES activity encrypt with a KMS key
# description: |
#   CloudTrail encrypts log files (and event data stores their events) with SSE-S3 or an
#   AWS owned key unless a customer managed KMS key is set; with a key, reading SES activity
#   also needs kms:Decrypt, and key use is itself logged. Applies to the trails and event data
#   stores counted for CT-001 or CT-003. A key created in the same plan counts.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
# custom:
#   id: CT-007
#   severity: medium
#   remediation: |
#     Set kms_key_id on the aws_cloudtrail (or aws_cloudtrail_event_data_store) resource to a
#     customer managed KMS key whose policy lets cloudtrail.amazonaws.com use it.
# schemas:
#   - input: schema.posture
package sescheck.rules.cloudtrail.ct_007

import data.sescheck.lib.cloudtrail
import data.sescheck.lib.result

metadata := result.metadata(rego.metadata.chain())

checked contains result.target(trail) if {
	some trail in cloudtrail.counted_trails
}

findings contains result.from_verdict(metadata, trail, verdict, {
	"fail": sprintf("%s records SES activity without a KMS key (kms_key_id is not set)", [cloudtrail.trail_label(trail)]),
	"unknown": sprintf("whether %s has a KMS key is unknown: kms_key_id %s", [cloudtrail.trail_label(trail), verdict.reason]),
}) if {
	some trail in cloudtrail.counted_trails
	not has_key(trail)
	verdict := result.field_verdict(trail, "kms_key_id", true)
}

# A key id, or a link to a key of the input whose id is known only after apply.
has_key(trail) if {
	is_string(trail.kms_key_id)
	trail.kms_key_id != ""
}

has_key(trail) if is_string(trail.kms_key)
