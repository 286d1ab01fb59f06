# Posture objects shared by the CloudTrail rule tests, as the input adapters produce them.
package sescheck.rules.cloudtrail.fixtures_test

trail(overrides) := object.union(
	{
		"id": "aws_cloudtrail.main",
		"account": null,
		"region": "eu-west-1",
		"location": {"file": "main.tf.json", "line": 12},
		"unknown": {},
		"kind": "trail",
		"name": "main",
		"arn": null,
		"multi_region": true,
		"organization": false,
		"logging": true,
		"log_file_validation": true,
		"kms_key_id": null,
		"kms_key": "aws_kms_key.trail",
		"basic_event_selectors": [],
		"advanced_event_selectors": [management_selector([]), ses_selector("AWS::SES::EmailIdentity", [])],
		"s3_bucket_name": null,
		"s3_bucket": "aws_s3_bucket.trail",
		"log_group_arn": null,
		"log_group": null,
		"declared_in_settings": false,
	},
	overrides,
)

event_data_store(overrides) := trail(object.union(
	{
		"id": "aws_cloudtrail_event_data_store.ses",
		"kind": "event_data_store",
		"name": "ses",
		"log_file_validation": null,
		"s3_bucket": null,
	},
	overrides,
))

identity(overrides) := object.union(
	{
		"id": "aws_sesv2_email_identity.example",
		"account": null,
		"region": "eu-west-1",
		"location": null,
		"unknown": {},
		"identity": "example.com",
		"kind": "domain",
		"api": "v2",
		"default_configuration_set_name": "main",
		"default_configuration_set": "aws_sesv2_configuration_set.main",
		"notification_topics": [],
		"feedback_forwarding_enabled": true,
	},
	overrides,
)

configuration_set(overrides) := object.union(
	{
		"id": "aws_sesv2_configuration_set.main",
		"account": null,
		"region": "eu-west-1",
		"location": null,
		"unknown": {},
		"name": "main",
		"api": "v2",
		"tls_policy": "REQUIRE",
		"event_destinations": [],
	},
	overrides,
)

bucket(overrides) := object.union(
	{
		"id": "aws_s3_bucket.trail",
		"account": null,
		"region": "eu-west-1",
		"location": null,
		"unknown": {},
		"name": "trail-logs",
		"arn": null,
		"lifecycle_rules": [],
		"public_access_block": all_blocked,
		"public_access_block_source": "resource",
	},
	overrides,
)

all_blocked := {
	"block_public_acls": true,
	"block_public_policy": true,
	"ignore_public_acls": true,
	"restrict_public_buckets": true,
}

account_block(account, settings) := {
	"id": "aws_s3_account_public_access_block.this",
	"account": account,
	"region": null,
	"location": null,
	"unknown": {},
	"settings": settings,
}

# The selector of the SES documentation for one resource type, plus extra field selectors.
ses_selector(type, extra) := {
	"name": sprintf("SES %s", [type]),
	"field_selectors": array.concat(
		[
			{"field": "eventCategory", "equals": ["Data"]},
			{"field": "resources.type", "equals": [type]},
		],
		extra,
	),
}

management_selector(extra) := {
	"name": "Management events",
	"field_selectors": array.concat([{"field": "eventCategory", "equals": ["Management"]}], extra),
}

all_ses_selectors := [
	management_selector([]),
	ses_selector("AWS::SES::EmailIdentity", []),
	ses_selector("AWS::SES::ConfigurationSet", []),
	ses_selector("AWS::SES::Template", []),
]

basic_selector(overrides) := object.union(
	{
		"read_write_type": "All",
		"include_management_events": true,
		"exclude_management_event_sources": [],
		"data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}],
	},
	overrides,
)

posture(trails) := {
	"trails": trails,
	"identities": [identity({})],
	"configuration_sets": [configuration_set({})],
	"s3_buckets": [bucket({})],
	"account_public_access_blocks": [],
}

# The selectors of the default trail with the SES identity selector replaced.
with_identity_selectors(selectors) := trail({"advanced_event_selectors": array.concat([management_selector([])], selectors)})

only_finding(findings) := finding if {
	count(findings) == 1
	some finding in findings
}

# A module call a Terraform configuration input could not read.
unread_module := {"id": "module.audit", "reason": "source \"terraform-aws-modules/cloudtrail/aws\" is not a local directory", "location": null}

with_unread_module(posture) := object.union(posture, {"unread_modules": [unread_module]})
