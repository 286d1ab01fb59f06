# METADATA
# title: S3 buckets of trails that record SES activity block public access
# description: |
#   The trail's log files name senders, recipients' domains and callers. Each of the four
#   S3 Block Public Access settings must be on for the bucket, either in the bucket's own
#   configuration or in the account's (S3 applies the stricter of the two). The account's
#   settings count only for a bucket known to be in that account: a bucket outside the input
#   (a central log archive) or whose owner is unknown is unknown. A bucket created without a
#   public access block gets S3's default (all four on); live, a bucket without a configuration
#   falls back to the account's. Applies to the trails counted for CT-001 or CT-003.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
# custom:
#   id: CT-008
#   severity: high
#   remediation: |
#     Add an aws_s3_bucket_public_access_block for the trail's bucket with block_public_acls,
#     block_public_policy, ignore_public_acls and restrict_public_buckets all true (or the
#     account-wide aws_s3_account_public_access_block).
# schemas:
#   - input: schema.posture
package sescheck.rules.cloudtrail.ct_008

import data.sescheck.lib.accounts
import data.sescheck.lib.cloudtrail
import data.sescheck.lib.logging_path
import data.sescheck.lib.result

metadata := result.metadata(rego.metadata.chain())

settings := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

# The bucket of each counted trail: the bucket object when the input has it, else the trail.
logged_buckets contains {"subject": bucket, "bucket": bucket, "trail": trail} if {
	some trail in cloudtrail.counted_trails
	trail.kind == "trail"
	some bucket in logging_path.with_id("s3_bucket", trail.s3_bucket)
	object.get(bucket, "exists", true) != false # a bucket that does not exist fails CT-005
}

logged_buckets contains {"subject": trail, "bucket": null, "trail": trail} if {
	some trail in cloudtrail.counted_trails
	trail.kind == "trail"
	not bucket_in_input(trail)
}

bucket_in_input(trail) if {
	some _ in logging_path.with_id("s3_bucket", trail.s3_bucket)
}

checked contains result.target(logged.subject) if {
	some logged in logged_buckets
}

findings contains result.fail(metadata, logged.subject, message) if {
	some logged in logged_buckets
	open := [setting | some setting in settings; blocked(logged, setting) == "no"]
	count(open) > 0
	message := sprintf("S3 bucket %s of %s allows public access: %s %s off on the bucket and on the account", [
		bucket_label(logged),
		cloudtrail.trail_label(logged.trail),
		concat(", ", open),
		verb(open),
	])
}

findings contains result.unknown(metadata, logged.subject, message) if {
	some logged in logged_buckets
	every setting in settings {
		blocked(logged, setting) != "no"
	}
	undecided := [setting | some setting in settings; blocked(logged, setting) == "unknown"]
	count(undecided) > 0
	message := sprintf("whether S3 bucket %s of %s blocks public access is unknown: %s", [
		bucket_label(logged),
		cloudtrail.trail_label(logged.trail),
		why_unknown(logged),
	])
}

verb(open) := "is" if count(open) == 1

verb(open) := "are" if count(open) > 1

# Whether a setting is on for the bucket (yes, no, unknown): on in the bucket or in the account.
blocked(logged, setting) := cloudtrail.any_of([bucket_blocks(logged, setting), account_blocks(logged, setting)])

bucket_blocks(logged, setting) := "unknown" if {
	logged.bucket == null
} else := "unknown" if {
	bucket_unknown(logged.bucket, setting)
} else := "yes" if {
	logged.bucket.public_access_block[setting] == true
} else := "no" if {
	is_object(logged.bucket.public_access_block)
} else := "yes" if {
	# A bucket this input creates without a public access block gets S3's default: all on.
	logged.bucket.public_access_block_source == "s3_default"
} else := "no"

bucket_unknown(bucket, setting) if {
	some key in ["public_access_block", sprintf("public_access_block.%s", [setting])]
	object.get(bucket.unknown, key, null) != null
}

# The account's setting, for a bucket in the input whose account is that one (or may be).
account_blocks(logged, setting) := cloudtrail.any_of([answer |
	some block in account_blocks_of(logged)
	answer := account_block_answer_for(block, logged.bucket, setting)
])

account_blocks_of(logged) := [block |
	logged.bucket != null
	some block in object.get(input, "account_public_access_blocks", [])
	accounts.relation(block, logged.bucket) != "different"
]

account_block_answer_for(block, bucket, setting) := account_block_answer(block, setting) if {
	accounts.relation(block, bucket) == "same"
} else := "no" if {
	account_block_answer(block, setting) == "no"
} else := "unknown"

account_block_answer(block, setting) := "unknown" if {
	object.get(block.unknown, sprintf("settings.%s", [setting]), null) != null
} else := "yes" if {
	block.settings[setting] == true
} else := "no"

bucket_label(logged) := name if {
	logged.bucket != null
	name := object.get(logged.bucket, "name", null)
	is_string(name)
} else := logged.bucket.id if {
	logged.bucket != null
} else := logged.trail.s3_bucket_name if {
	is_string(logged.trail.s3_bucket_name)
} else := "(name unknown)"

why_unknown(logged) := "the bucket is not in the input (a central log archive?), so neither its settings nor its account are known: an account's public access block counts only for buckets of that account" if {
	logged.bucket == null
	is_string(logged.trail.s3_bucket_name)
} else := sprintf("the trail's bucket is unknown (s3_bucket_name: %s)", [logged.trail.unknown.s3_bucket_name]) if {
	logged.bucket == null
	logged.trail.unknown.s3_bucket_name
} else := "the trail names no S3 bucket the input knows" if {
	logged.bucket == null
} else := concat(", ", array.concat(
	array.concat(
		[sprintf("%s: %s", [key, reason]) | some key, reason in logged.bucket.unknown; startswith(key, "public_access_block")],
		[sprintf("account public access block %s: %s", [key, reason]) |
			some block in account_blocks_of(logged)
			some key, reason in block.unknown
			key != "account"
		],
	),
	[sprintf("whether the bucket (%s) is in the account of %s (%s) is unknown", [accounts.label(logged.bucket), block.id, accounts.label(block)]) |
		some block in account_blocks_of(logged)
		accounts.relation(block, logged.bucket) == "unknown"
	],
))
